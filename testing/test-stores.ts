import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RunningDynamo } from '#infra-local/lite/stores.ts';
import { startLocalDynamo } from '#infra-local/lite/stores.ts';
import { localDynamoClient, seedDynamo } from '#infra-local/seed/seed-dynamodb.ts';
import { seedSqlite } from '#infra-local/seed/seed-sqlite.ts';
import type { AuditItem } from '#common/models/audit.ts';
import type { ConfigItem, ConfigKey, ConfigRecord } from '#common/models/config.ts';
import { configPartitionKey, toConfigRecord } from '#common/models/config.ts';
import type { FaultProxy, StoreMode } from './fault-proxy.ts';
import { startFaultProxy } from './fault-proxy.ts';

/** Where the run's shared DynamoDB Local listens: set by testing/global-setup.ts for every test file. */
export const SHARED_DYNAMODB_ENV = 'PRICING_TEST_DYNAMODB_ENDPOINT';

// Jest loads this module once per test file: each file gets tables of its own in the shared DynamoDB Local.
const suffix = randomBytes(4).toString('hex');
export const TEST_AUDIT_TABLE = `pricing-audit-test-${suffix}`;
export const TEST_CONFIG_TABLE = `pricing-config-test-${suffix}`;

/**
 * Real local stores for one test file: tables of its own in the run's one DynamoDB Local (started by the
 * global setup; a private one when run outside Jest), reached through a fault proxy, and a node:sqlite
 * file built from the seed SQL in a temp folder. Nothing is shared with a developer's running stores.
 */
export class TestStores {
  readonly dir: string;
  readonly sqlitePath: string;
  private readonly proxy: FaultProxy;
  private readonly upstream: string;
  private readonly own: RunningDynamo | undefined;
  private doc: DynamoDBDocumentClient | undefined;

  private constructor(dir: string, proxy: FaultProxy, upstream: string, own: RunningDynamo | undefined) {
    this.dir = dir;
    this.sqlitePath = join(dir, 'price.db');
    this.proxy = proxy;
    this.upstream = upstream;
    this.own = own;
  }

  /** Data always survives an outage now (the store behind the proxy keeps running); the option is ignored. */
  static async start(_options: { persistDynamo?: boolean } = {}): Promise<TestStores> {
    const shared = process.env[SHARED_DYNAMODB_ENV];
    const own = shared ? undefined : await startLocalDynamo();
    const upstream = shared ?? own!.endpoint;
    const stores = new TestStores(
      mkdtempSync(join(tmpdir(), 'pricing-test-')),
      await startFaultProxy(upstream),
      upstream,
      own,
    );
    seedSqlite(process.cwd(), stores.sqlitePath);
    await seedDynamo(upstream, { audit: TEST_AUDIT_TABLE, config: TEST_CONFIG_TABLE });
    return stores;
  }

  /** The endpoint functions are given: the fault proxy in front of DynamoDB Local. */
  get endpoint(): string {
    return this.proxy.endpoint;
  }

  /** DynamoDB Local itself, past the proxy: for checks that must not be affected by a fault. */
  get directEndpoint(): string {
    return this.upstream;
  }

  /** The proxy, for tests that lose acknowledgements or refuse chosen requests. */
  get faults(): FaultProxy {
    return this.proxy;
  }

  /** Brings DynamoDB back after an outage or a hang, on the same endpoint, with every item kept. */
  async startDynamo(): Promise<void> {
    await this.proxy.setMode('up');
  }

  /** Takes DynamoDB away: connections are refused until startDynamo(). */
  async stopDynamo(): Promise<void> {
    await this.proxy.setMode('down');
  }

  /** Makes DynamoDB hang: connections are accepted and never answered until startDynamo(). */
  async hangDynamo(): Promise<void> {
    await this.proxy.setMode('hang');
  }

  /** Fresh tables, as a new store would have: version 1 of every registry key, and no audit items. */
  async reset(): Promise<void> {
    await this.proxy.setMode('up');
    this.proxy.reset();
    await this.dropTables();
    await seedDynamo(this.upstream, { audit: TEST_AUDIT_TABLE, config: TEST_CONFIG_TABLE });
  }

  private async dropTables(): Promise<void> {
    for (const table of [TEST_AUDIT_TABLE, TEST_CONFIG_TABLE]) {
      await this.documentClient()
        .send(new DeleteTableCommand({ TableName: table }))
        .catch((error: Error) => {
          if (error.name !== 'ResourceNotFoundException') throw error;
        });
    }
  }

  /** The store's current behaviour. */
  async setDynamoMode(mode: StoreMode): Promise<void> {
    await this.proxy.setMode(mode);
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
    this.doc ??= DynamoDBDocumentClient.from(localDynamoClient(this.upstream), {
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

  /**
   * Stores the next version of a key directly, as config-service's transaction would store it (for tests of
   * the functions that obey a key; config-service's own tests change keys through its handler).
   */
  async storeConfigVersion(key: ConfigKey, value: unknown, updatedBy: string): Promise<void> {
    const version = (await this.configVersions(key)).length + 1;
    const item = { key, value, version, updatedAt: new Date().toISOString(), updatedBy } as ConfigItem;
    await this.documentClient().send(
      new PutCommand({
        TableName: TEST_CONFIG_TABLE,
        Item: toConfigRecord(item, `test-${key}-${version}`),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
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
    await this.proxy.close();
    if (this.own) await this.own.close();
    // The shared instance lives on for the other files: leave it as found.
    else await this.dropTables().catch(() => undefined);
    this.doc?.destroy();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
