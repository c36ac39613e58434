import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RunningDynalite } from '../../infra-local/lite/stores.ts';
import { startDynalite } from '../../infra-local/lite/stores.ts';
import { localDynamoClient, seedDynamo } from '../../infra-local/seed/seed-dynamodb.ts';
import { seedSqlite } from '../../infra-local/seed/seed-sqlite.ts';
import type { AuditItem } from '../models/audit.ts';

export const TEST_AUDIT_TABLE = 'pricing-audit-test';

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

  private constructor(dir: string) {
    this.dir = dir;
    this.sqlitePath = join(dir, 'price.db');
  }

  static async start(): Promise<TestStores> {
    const stores = new TestStores(mkdtempSync(join(tmpdir(), 'pricing-test-')));
    seedSqlite(process.cwd(), stores.sqlitePath);
    await stores.startDynamo();
    return stores;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** (Re)starts dynalite on the same port, as after an outage. Data is in memory and starts empty. */
  async startDynamo(): Promise<void> {
    this.dynalite = await startDynalite({ port: this.port });
    this.port = this.dynalite.port;
    await seedDynamo(this.endpoint, { audit: TEST_AUDIT_TABLE });
  }

  /** Takes DynamoDB away: connections are refused until startDynamo(). */
  async stopDynamo(): Promise<void> {
    await this.dynalite?.close();
    this.dynalite = undefined;
  }

  /** The environment the SAM template gives price-fetcher, pointed at these stores. */
  priceFetcherEnv(overrides: Record<string, string> = {}): Record<string, string> {
    return {
      STAGE: 'local',
      AWS_REGION: 'us-east-1',
      APP_VERSION: '1.2.3-test',
      POWERTOOLS_SERVICE_NAME: 'price-fetcher',
      LOG_LEVEL: 'SILENT',
      POWERTOOLS_METRICS_DISABLED: 'true',
      CORS_ORIGIN: 'https://app.example.com',
      AUDIT_TABLE: TEST_AUDIT_TABLE,
      AUDIT_RETENTION_DAYS: '7',
      DYNAMODB_ENDPOINT: this.endpoint,
      DYNAMODB_TIMEOUT_MS: '1000',
      PRICE_DB: 'sqlite',
      SQLITE_PATH: this.sqlitePath,
      ...overrides,
    };
  }

  private documentClient(): DynamoDBDocumentClient {
    this.doc ??= DynamoDBDocumentClient.from(localDynamoClient(this.endpoint));
    return this.doc;
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
