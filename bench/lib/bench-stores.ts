import { join } from 'node:path';
import { lambdaRuntimeEnv } from '#infra-local/lite/lambda-runtime.ts';
import { findFunction, liteEnvironment } from '#infra-local/lite/lite-env.ts';
import type { RunningDynamo } from '#infra-local/lite/stores.ts';
import { startLocalDynamo } from '#infra-local/lite/stores.ts';
import { seedDynamo } from '#infra-local/seed/seed-dynamodb.ts';
import { seedSqlite } from '#infra-local/seed/seed-sqlite.ts';
import type { LocalIssuer } from '#tools/local/identity/issuer.ts';
import { startLocalIssuer } from '#tools/local/identity/issuer.ts';

/**
 * The stores for benchmarks: DynamoDB Local in its own process (a JVM: as DynamoDB is remote for a Lambda,
 * its CPU is not charged to the handler), in memory, and a node:sqlite file built from the seed SQL.
 */
export class BenchStores {
  readonly endpoint: string;
  readonly sqlitePath: string;
  /** The local issuer start-api's authorizer trusts in the bench, and a price-reader token it signed. */
  readonly issuer: LocalIssuer;
  readonly authorization: string;
  private readonly dynamo: RunningDynamo;

  private constructor(sqlitePath: string, dynamo: RunningDynamo, issuer: LocalIssuer, token: string) {
    this.endpoint = dynamo.endpoint;
    this.sqlitePath = sqlitePath;
    this.dynamo = dynamo;
    this.issuer = issuer;
    this.authorization = `Bearer ${token}`;
  }

  static async start(root: string, tables: { audit: string; config?: string }): Promise<BenchStores> {
    const dynamo = await startLocalDynamo();
    const { endpoint } = dynamo;
    await seedDynamo(endpoint, tables);
    const sqlitePath = join(root, 'bench', '.tmp', 'price.db');
    seedSqlite(root, sqlitePath);
    const issuer = await startLocalIssuer();
    const token = await issuer.signToken({
      sub: '3f8a2c1e-5b7d-4e9f-a1c2-7d6e5f4a3b2c',
      roles: ['price-reader', 'config-reader'],
      expiresIn: 6 * 3600,
    });
    return new BenchStores(sqlitePath, dynamo, issuer, token);
  }

  /**
   * The whole environment a function gets in Lambda (reserved variables, then its template variables in lite
   * mode), pointed at these stores. NODE_OPTIONS is cleared: runtime flags are measured explicitly.
   */
  functionEnv(root: string, name: string): Record<string, string> {
    const fn = findFunction(root, name);
    return lambdaRuntimeEnv({
      functionName: fn.functionName,
      memoryMb: fn.memoryMb,
      handler: fn.handler,
      codeDir: fn.codeDir,
      env: {
        ...liteEnvironment(root, fn),
        DYNAMODB_ENDPOINT: this.endpoint,
        SQLITE_PATH: this.sqlitePath,
        NODE_OPTIONS: '',
      },
    });
  }

  async stop(): Promise<void> {
    await this.issuer.stop();
    await this.dynamo.close();
  }
}
