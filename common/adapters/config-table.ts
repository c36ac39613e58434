import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ConfigTableKeys } from '../constants/config.ts';
import type { ConfigItem, ConfigKey } from '../models/config.ts';
import {
  ConfigRecordSchema,
  CurrentConfigRecordSchema,
  configPartitionKey,
  configVersionSortKey,
  fromConfigRecord,
} from '../models/config.ts';

/** A stored item is malformed, or the latest value no longer fits its key's schema: never served. */
export class CorruptConfigItemError extends Error {
  constructor(cause: unknown) {
    super('A config table item failed validation', { cause });
    this.name = 'CorruptConfigItemError';
  }
}

/** The partition health checks read: no key is named like this, so the Query returns nothing. */
const PROBE_PARTITION = `${ConfigTableKeys.partitionPrefix}#health-check`;

export interface ConfigVersionsQuery {
  limit: number;
  /** Only versions older than this one (a history page's cursor). */
  before?: number | undefined;
  /** The latest value must fit today's registry schema; history only has to be well-formed. */
  current: boolean;
  signal?: AbortSignal | undefined;
}

/**
 * Reads of the config table (one immutable item per version, `pk = CONFIG#<key>`, `sk = V#<10-digit
 * version>`), newest first: a Query read backwards, strongly consistent, so a reader never works from a
 * stale latest version. Shared by config-service, which owns the table, and the functions that obey its
 * keys. The SDK's errors are thrown as they are (each caller says what they mean to it); an item that
 * fails validation is CorruptConfigItemError.
 */
export const queryConfigVersions = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  key: ConfigKey,
  options: ConfigVersionsQuery,
): Promise<ConfigItem[]> => {
  const { before } = options;
  if (before !== undefined && before <= 1) return [];
  const output = await client.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression:
        before === undefined
          ? 'pk = :pk AND begins_with(sk, :v)'
          : 'pk = :pk AND sk BETWEEN :first AND :last',
      ExpressionAttributeValues: {
        ':pk': configPartitionKey(key),
        ...(before === undefined
          ? { ':v': ConfigTableKeys.versionPrefix }
          : { ':first': configVersionSortKey(1), ':last': configVersionSortKey(before - 1) }),
      },
      ScanIndexForward: false,
      ConsistentRead: true,
      Limit: options.limit,
    }),
    { abortSignal: options.signal },
  );
  const schema = options.current ? CurrentConfigRecordSchema : ConfigRecordSchema;
  return (output.Items ?? []).map((raw) => {
    const parsed = schema.safeParse(raw);
    if (!parsed.success || parsed.data.key !== key) throw new CorruptConfigItemError(parsed.error);
    return fromConfigRecord(parsed.data);
  });
};

/** The latest version of a key, or undefined when the key has none. */
export const latestConfigItem = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  key: ConfigKey,
  signal?: AbortSignal,
): Promise<ConfigItem | undefined> => {
  const [item] = await queryConfigVersions(client, tableName, key, { limit: 1, current: true, signal });
  return item;
};

/**
 * The health check's read-only probe: a Query of a partition no key uses. It proves the table exists and
 * the role may Query it, with the same permission the reads need and no other.
 */
export const pingConfigTable = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  signal?: AbortSignal,
): Promise<void> => {
  await client.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': PROBE_PARTITION },
      Limit: 1,
    }),
    { abortSignal: signal },
  );
};
