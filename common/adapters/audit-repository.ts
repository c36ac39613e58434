import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditItem } from '../models/audit.ts';
import { storedRequestId, storedStatus } from './stored-item.ts';

/** Per-call options: the request's budget for this write. */
export interface AuditWriteOptions {
  abortSignal?: AbortSignal | undefined;
}

/** The port the audit middleware writes through. */
export interface AuditRepository {
  /**
   * Stores the item, and resolves with the status on record for its request: the item's own, including
   * when an earlier attempt of this very call stored it and only the acknowledgement was lost; or the
   * status of the item an earlier write of the same request stored under the same key (a transaction
   * whose answer was lost), which is never overwritten.
   */
  write(item: AuditItem, options?: AuditWriteOptions): Promise<AuditItem['status']>;
  /** Read-only reachability check for the health check. */
  ping(options?: AuditWriteOptions): Promise<void>;
}

const NEVER_OVERWRITE = 'attribute_not_exists(pk)';

/**
 * The audit item as one Put of a TransactWriteItems, for a change stored with its audit item as one fact
 * (config-service). The same condition as a single write: an item is never overwritten.
 */
export const auditTransactPut = (tableName: string, item: AuditItem) => ({
  Put: {
    TableName: tableName,
    Item: item,
    ConditionExpression: NEVER_OVERWRITE,
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
  },
});

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

  async write(item: AuditItem, options: AuditWriteOptions = {}): Promise<AuditItem['status']> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: NEVER_OVERWRITE,
          // A failed condition returns the stored item in the same call: no second read, no race.
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
        { abortSignal: options.abortSignal },
      );
      return item.status;
    } catch (error) {
      // DynamoDB may store a write whose answer is lost (a 500 or a dropped connection); the SDK's retry
      // then meets the condition. The key holds the request id, but only the stored item proves it is ours.
      const stored = (error as { Item?: unknown }).Item;
      if (
        (error as Error)?.name === 'ConditionalCheckFailedException' &&
        storedRequestId(stored) === item.requestId
      )
        return storedStatus(stored) ?? item.status;
      throw error;
    }
  }

  async ping(options: AuditWriteOptions = {}): Promise<void> {
    await this.client.send(new DescribeTableCommand({ TableName: this.tableName }), {
      abortSignal: options.abortSignal,
    });
  }
}
