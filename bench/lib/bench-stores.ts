import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '#testing/free-port.ts';
import { lambdaRuntimeEnv } from '#infra-local/lite/lambda-runtime.ts';
import { findFunction, liteEnvironment } from '#infra-local/lite/lite-env.ts';
import { dynamoReachable } from '#infra-local/lite/stores.ts';
import { seedDynamo } from '#infra-local/seed/seed-dynamodb.ts';
import { seedSqlite } from '#infra-local/seed/seed-sqlite.ts';
import type { LocalIssuer } from '#tools/local/identity/issuer.ts';
import { startLocalIssuer } from '#tools/local/identity/issuer.ts';

/**
 * The stores for benchmarks: dynalite in its own process (as DynamoDB is remote for a Lambda, its CPU is
 * not charged to the handler) and a node:sqlite file built from the seed SQL.
 */
export class BenchStores {
  readonly endpoint: string;
  readonly sqlitePath: string;
  /** The local issuer start-api's authorizer trusts in the bench, and a price-reader token it signed. */
  readonly issuer: LocalIssuer;
  readonly authorization: string;
  private readonly child: ChildProcess;

  private constructor(
    endpoint: string,
    sqlitePath: string,
    child: ChildProcess,
    issuer: LocalIssuer,
    token: string,
  ) {
    this.endpoint = endpoint;
    this.sqlitePath = sqlitePath;
    this.child = child;
    this.issuer = issuer;
    this.authorization = `Bearer ${token}`;
  }

  static async start(root: string, tables: { audit: string; config?: string }): Promise<BenchStores> {
    const port = await freePort();
    const child = spawn(
      process.execPath,
      [join(root, 'infra-local', 'lite', 'dynalite-server.ts'), '--port', String(port)],
      {
        stdio: 'ignore',
      },
    );
    const endpoint = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 10_000;
    while (!(await dynamoReachable(endpoint))) {
      if (Date.now() > deadline) throw new Error('dynalite did not start for the bench');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await seedDynamo(endpoint, tables);
    const sqlitePath = join(root, 'bench', '.tmp', 'price.db');
    seedSqlite(root, sqlitePath);
    const issuer = await startLocalIssuer();
    const token = await issuer.signToken({
      sub: '3f8a2c1e-5b7d-4e9f-a1c2-7d6e5f4a3b2c',
      roles: ['price-reader', 'config-reader'],
      expiresIn: 6 * 3600,
    });
    return new BenchStores(endpoint, sqlitePath, child, issuer, token);
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
    this.child.kill('SIGTERM');
  }
}
