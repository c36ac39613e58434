import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { auditTransactPut } from '#common/adapters/audit-repository.ts';
import { storedRequestId } from '#common/adapters/stored-item.ts';
import type { AuditItem } from '#common/models/audit.ts';
import type { ConfigVersionsQuery } from '#common/adapters/config-table.ts';
import {
  CorruptConfigItemError,
  pingConfigTable,
  queryConfigVersions,
} from '#common/adapters/config-table.ts';
import type { ConfigItem, ConfigKey } from '#common/models/config.ts';
import { configPartitionKey, configVersionSortKey, toConfigRecord } from '#common/models/config.ts';
import { ConfigUnavailableError } from './errors.ts';
import type { CallOptions, ConfigHistoryPage, ConfigRepository, PutVersionOutcome } from './service.ts';

/**
 * The only code that talks to the config table. One immutable item per version
 * (`pk = CONFIG#<key>`, `sk = V#<10-digit version>`); "latest" is a Query read backwards with
 * `Limit: 1`; a new version is a put conditional on the item not existing, which is the optimistic lock,
 * written in one TransactWriteItems with its audit item: both are stored or neither. Reads are strongly
 * consistent, so a writer never works from a stale latest version. Every call takes the request's abort
 * signal. Driver errors become ConfigUnavailableError (503); bad items, CorruptConfigItemError.
 */
export class DynamoConfigRepository implements ConfigRepository {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly auditTable: string;

  constructor(options: { client: DynamoDBDocumentClient; tableName: string; auditTable: string }) {
    this.client = options.client;
    this.tableName = options.tableName;
    this.auditTable = options.auditTable;
  }

  async latest(key: ConfigKey, options: CallOptions = {}): Promise<ConfigItem | undefined> {
    const { items } = await this.query(key, { limit: 1, current: true, signal: options.signal });
    return items[0];
  }

  async history(
    key: ConfigKey,
    page: { limit: number; before?: number | undefined },
    options: CallOptions = {},
  ): Promise<ConfigHistoryPage> {
    // One more than asked tells whether an older version exists, so the last page has no cursor.
    const { items } = await this.query(key, {
      limit: page.limit + 1,
      before: page.before,
      current: false,
      signal: options.signal,
    });
    return { items: items.slice(0, page.limit), hasMore: items.length > page.limit };
  }

  /**
   * Stores the version and its audit item as one fact. When a condition fails, the transaction's
   * cancellation reasons carry the stored items: a version carrying our own request id is our own write
   * whose acknowledgement was lost (the SDK retried a call DynamoDB had carried out); any other is a real
   * conflict. Anything else is "unavailable", and stored nothing.
   */
  async putVersion(
    item: ConfigItem,
    requestId: string,
    options: CallOptions & { audit: AuditItem },
  ): Promise<PutVersionOutcome> {
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: toConfigRecord(item, requestId),
                ConditionExpression: 'attribute_not_exists(pk)',
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            },
            auditTransactPut(this.auditTable, options.audit),
          ],
        }),
        { abortSignal: options.signal },
      );
      return 'written';
    } catch (error) {
      // Matched by name: instanceof fails when two copies of the SDK are loaded.
      if ((error as Error)?.name !== 'TransactionCanceledException')
        return this.settle(item, requestId, error, options.signal);
      const [version] =
        (error as { CancellationReasons?: Array<{ Code?: string; Item?: unknown }> }).CancellationReasons ??
        [];
      // Another transaction writing this very version at the same moment is a conflict too.
      if (version?.Code === 'TransactionConflict') return 'conflict';
      if (version?.Code !== 'ConditionalCheckFailed') throw new ConfigUnavailableError(error);
      return storedRequestId(version.Item) === requestId ? 'written' : 'conflict';
    }
  }

  /**
   * A transaction whose answer never came (a timeout, a dropped connection, a 5xx after the SDK's retries)
   * may have been stored. One consistent read of the version says which: ours is `written` (the version
   * and its SUCCESS item are both stored), another request's is a conflict. Nothing there, or no answer,
   * is unavailable: the audit middleware then writes the request's failure under the request's one audit
   * key, which also cancels this transaction should it still arrive (its audit Put's condition fails).
   */
  private async settle(
    item: ConfigItem,
    requestId: string,
    error: unknown,
    signal: AbortSignal | undefined,
  ): Promise<PutVersionOutcome> {
    let stored: unknown;
    try {
      const output = await this.client.send(
        new GetCommand({
          TableName: this.tableName,
          Key: { pk: configPartitionKey(item.key), sk: configVersionSortKey(item.version) },
          ConsistentRead: true,
          ProjectionExpression: 'requestId',
        }),
        { abortSignal: signal },
      );
      stored = output.Item;
    } catch {
      throw new ConfigUnavailableError(error);
    }
    if (stored === undefined) throw new ConfigUnavailableError(error);
    return storedRequestId(stored) === requestId ? 'written' : 'conflict';
  }

  async ping(): Promise<void> {
    try {
      await pingConfigTable(this.client, this.tableName);
    } catch (error) {
      throw new ConfigUnavailableError(error);
    }
  }

  /** The shared read (common/adapters/config-table.ts); any driver error means the table is unavailable. */
  private async query(key: ConfigKey, options: ConfigVersionsQuery): Promise<{ items: ConfigItem[] }> {
    try {
      return { items: await queryConfigVersions(this.client, this.tableName, key, options) };
    } catch (error) {
      if (error instanceof CorruptConfigItemError) throw error;
      throw new ConfigUnavailableError(error);
    }
  }
}
