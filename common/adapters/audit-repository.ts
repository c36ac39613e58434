import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditItem } from '../models/audit.ts';

/** The port the audit middleware writes through. */
export interface AuditRepository {
  write(item: AuditItem): Promise<void>;
  /** Read-only reachability check for the health check. */
  ping(): Promise<void>;
}

/**
 * The audit trail in DynamoDB, shared by every function (one item contract, DESIGN §5).
 * Each put is conditional on the key not existing, so an item can never be overwritten.
 */
export class DynamoAuditRepository implements AuditRepository {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(options: { client: DynamoDBDocumentClient; tableName: string }) {
    this.client = options.client;
    this.tableName = options.tableName;
  }

  async write(item: AuditItem): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: item,
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async ping(): Promise<void> {
    await this.client.send(new DescribeTableCommand({ TableName: this.tableName }));
  }
}
