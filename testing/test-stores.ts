import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RunningDynalite } from '#infra-local/lite/stores.ts';
import { startDynalite, startDynaliteProcess } from '#infra-local/lite/stores.ts';
import { localDynamoClient, seedDynamo } from '#infra-local/seed/seed-dynamodb.ts';
import { seedSqlite } from '#infra-local/seed/seed-sqlite.ts';
import type { AuditItem } from '#common/models/audit.ts';
import type { ConfigRecord } from '#common/models/config.ts';
import { configPartitionKey } from '#common/models/config.ts';

export const TEST_AUDIT_TABLE = 'pricing-audit-test';

/** Persisted dynalite in a child process; closing it is a crash (SIGKILL), after which LevelDB recovers. */
const dynaliteInChild = async (port: number, path: string): Promise<RunningDynalite> => {
  const running = await startDynaliteProcess(process.cwd(), { port, path });
  const exited = new Promise<void>((resolve) => running.child.once('exit', () => resolve()));
  return {
    endpoint: running.endpoint,
    port: running.port,
    close: async () => {
      running.child.kill('SIGKILL');
      await exited;
    },
  };
};
export const TEST_CONFIG_TABLE = 'pricing-config-test';

/**
 * Real local stores for one test file: dynalite on an ephemeral port and a node:sqlite file built from the
 * seed SQL, both in a temp folder. Nothing is shared with a developer's running stores.
 */
export class TestStores {
  readonly dir: string;
  readonly sqlitePath: string;
  private dynalite: RunningDynalite | undefined;
  private port = 0;
  private doc: DynamoDBDocumentClient | undefined;
  private readonly dynamoPath: string | undefined;

  private constructor(dir: string, persistDynamo: boolean) {
    this.dir = dir;
    this.sqlitePath = join(dir, 'price.db');
    this.dynamoPath = persistDynamo ? join(dir, 'dynamodb') : undefined;
  }

  /**
   * `persistDynamo` keeps DynamoDB's data on disk (LevelDB) across stopDynamo()/startDynamo(), as a real
   * table survives an outage: tests can then check that no audit item written before it was lost. For those
   * outage tests dynalite runs in a child process, and stopDynamo() kills it: in this process, dynalite
   * throws an uncaught error from a request still in flight when its store closes under it.
   */
  static async start(options: { persistDynamo?: boolean } = {}): Promise<TestStores> {
    const stores = new TestStores(
      mkdtempSync(join(tmpdir(), 'pricing-test-')),
      options.persistDynamo ?? false,
    );
    seedSqlite(process.cwd(), stores.sqlitePath);
    await stores.startDynamo();
    return stores;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /**
   * (Re)starts dynalite on the same port, as after an outage. In memory it starts empty (the tables are
   * created again and the config table holds version 1 of every registry key); persisted, it keeps its data.
   */
  async startDynamo(): Promise<void> {
    this.dynalite = this.dynamoPath
      ? await dynaliteInChild(this.port, this.dynamoPath)
      : await startDynalite({ port: this.port });
    this.port = this.dynalite.port;
    await seedDynamo(this.endpoint, { audit: TEST_AUDIT_TABLE, config: TEST_CONFIG_TABLE });
  }

  /** Takes DynamoDB away: connections are refused until startDynamo(). */
  async stopDynamo(): Promise<void> {
    await this.dynalite?.close();
    this.dynalite = undefined;
  }

  /** The variables the template's Globals give every function, pointed at these stores. */
  private baseEnv(service: string): Record<string, string> {
    return {
      STAGE: 'local',
      AWS_REGION: 'us-east-1',
      APP_VERSION: '1.2.3-test',
      POWERTOOLS_SERVICE_NAME: service,
      LOG_LEVEL: 'SILENT',
      POWERTOOLS_METRICS_DISABLED: 'true',
      CORS_ORIGIN: 'https://app.example.com',
      AUDIT_TABLE: TEST_AUDIT_TABLE,
      AUDIT_RETENTION_DAYS: '7',
      CONFIG_TABLE: TEST_CONFIG_TABLE,
      DYNAMODB_ENDPOINT: this.endpoint,
      DYNAMODB_TIMEOUT_MS: '1000',
    };
  }

  /** The environment the SAM template gives price-fetcher, pointed at these stores. */
  priceFetcherEnv(overrides: Record<string, string> = {}): Record<string, string> {
    return {
      ...this.baseEnv('price-fetcher'),
      PRICE_DB: 'sqlite',
      SQLITE_PATH: this.sqlitePath,
      ...overrides,
    };
  }

  /** The environment the SAM template gives config-service, pointed at these stores. */
  configServiceEnv(overrides: Record<string, string> = {}): Record<string, string> {
    return { ...this.baseEnv('config-service'), CONFIG_CACHE_SECONDS: '30', ...overrides };
  }

  /** A document client on these stores, for tests that write or read items directly. */
  documentClient(): DynamoDBDocumentClient {
    this.doc ??= DynamoDBDocumentClient.from(localDynamoClient(this.endpoint), {
      marshallOptions: { removeUndefinedValues: true },
    });
    return this.doc;
  }

  /** Every stored version of one config key, oldest first, exactly as stored. */
  async configVersions(key: string): Promise<ConfigRecord[]> {
    const items: ConfigRecord[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.documentClient().send(
        new QueryCommand({
          TableName: TEST_CONFIG_TABLE,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': configPartitionKey(key) },
          ConsistentRead: true,
          ExclusiveStartKey,
        }),
      );
      items.push(...((page.Items ?? []) as ConfigRecord[]));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  }

  /** Every item in the config table, whatever its key: a test can then show that no stray item exists. */
  async configRecords(): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.documentClient().send(
        new ScanCommand({ TableName: TEST_CONFIG_TABLE, ConsistentRead: true, ExclusiveStartKey }),
      );
      items.push(...(page.Items ?? []));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  }

  /** Every audit item in the table (tests hold a few hundred at most). */
  async auditItems(): Promise<AuditItem[]> {
    const items: AuditItem[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.documentClient().send(
        new ScanCommand({ TableName: TEST_AUDIT_TABLE, ExclusiveStartKey }),
      );
      items.push(...((page.Items ?? []) as AuditItem[]));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  }

  /** The audit item of one request, found by its request id. */
  async auditItemFor(requestId: string): Promise<AuditItem[]> {
    return (await this.auditItems()).filter((item) => item.requestId === requestId);
  }

  /** Items for one resource through the product index, as compliance staff query it. */
  async auditByResource(resource: string): Promise<AuditItem[]> {
    const page = await this.documentClient().send(
      new QueryCommand({
        TableName: TEST_AUDIT_TABLE,
        IndexName: 'byResource',
        KeyConditionExpression: '#resource = :resource',
        ExpressionAttributeNames: { '#resource': 'resource' },
        ExpressionAttributeValues: { ':resource': resource },
      }),
    );
    return (page.Items ?? []) as AuditItem[];
  }

  async close(): Promise<void> {
    this.doc?.destroy();
    await this.stopDynamo();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
