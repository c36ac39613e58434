import type { DynamoDBDocumentClient, QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { paginateQuery } from '@aws-sdk/lib-dynamodb';
import { AuditKeys } from '#common/constants/audit.ts';
import type { AuditQuery } from './model.ts';

/** Stored audit items as read back: validated on write, passed through unchanged on read (never dropped). */
export type StoredAuditItem = Record<string, unknown>;

export interface AuditPage {
  /** 1-based page number: one Query request per page. */
  page: number;
  items: StoredAuditItem[];
}

/**
 * The lowest and highest sort keys of a time range. `sk` is `AUDIT#<iso ms>#<requestId>` and ISO-8601 UTC
 * strings sort as time, so a range is a BETWEEN on the key. `~` sorts after `#` and every digit, so the upper
 * bound keeps the items stamped exactly at `to`; with no bounds the range spans every audit key.
 */
export const sortKeyRange = (query: Pick<AuditQuery, 'from' | 'to'>): { from: string; to: string } => ({
  from: `${AuditKeys.sortPrefix}${query.from ?? ''}`,
  to: `${AuditKeys.sortPrefix}${query.to ?? ''}~`,
});

/** The partition that holds the answer: the user's own, or the resource's in the `byResource` index. */
const partitionOf = (query: AuditQuery): { name: string; value: string } => {
  if (query.by === 'user') return { name: 'pk', value: `${AuditKeys.userPrefix}${query.userId}` };
  if (query.by === 'product')
    return { name: 'resource', value: `${AuditKeys.productPrefix}${query.productId}` };
  return { name: 'resource', value: `${AuditKeys.configPrefix}${query.configKey}` };
};

/**
 * The one Query input that answers `query`: on the table's key for a user (`pk = USER#<uuid>`), on the
 * sparse `byResource` index for a product (`resource = PRODUCT#<id>`) or a config key
 * (`resource = CONFIG#<key>`: its reads and changes). Oldest first. Never a Scan.
 */
export const auditQueryInput = (tableName: string, query: AuditQuery): QueryCommandInput => {
  const range = sortKeyRange(query);
  const partition = partitionOf(query);
  return {
    TableName: tableName,
    ...(query.by === 'user' ? {} : { IndexName: AuditKeys.resourceIndex }),
    KeyConditionExpression: '#partition = :partition AND #sk BETWEEN :from AND :to',
    ExpressionAttributeNames: { '#partition': partition.name, '#sk': 'sk' },
    ExpressionAttributeValues: { ':partition': partition.value, ':from': range.from, ':to': range.to },
    ScanIndexForward: true,
  };
};

/**
 * Pages through every item that answers `query`, one Query request per page (DynamoDB returns at most 1 MB,
 * or `pageSize` items, per page). Pages are yielded as they arrive, so an export of millions of items runs in
 * constant memory.
 */
export async function* queryAuditTrail(
  client: DynamoDBDocumentClient,
  options: { tableName: string; query: AuditQuery; pageSize?: number },
): AsyncGenerator<AuditPage> {
  const input = auditQueryInput(options.tableName, options.query);
  let page = 0;
  for await (const output of paginateQuery(
    { client, ...(options.pageSize ? { pageSize: options.pageSize } : {}) },
    input,
  )) {
    page += 1;
    yield { page, items: (output.Items ?? []) as StoredAuditItem[] };
  }
}
