import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { AuditKeys } from '#common/constants/audit.ts';

/**
 * The audit table: one item per request, keyed by user (`USER#<id>`) and time (`AUDIT#<iso>#<requestId>`),
 * with a sparse GSI on `resource` (`PRODUCT#<id>`, `CONFIG#<key>`) for "who looked at X between T1 and T2".
 * The same definition belongs in the deployment stack; TTL on `expiresAt`.
 */
export const auditTableDefinition = (tableName: string): CreateTableCommandInput => ({
  TableName: tableName,
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'S' },
    { AttributeName: 'resource', AttributeType: 'S' },
  ],
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ],
  GlobalSecondaryIndexes: [
    {
      IndexName: AuditKeys.resourceIndex,
      KeySchema: [
        { AttributeName: 'resource', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    },
  ],
});

export const AUDIT_TTL_ATTRIBUTE = 'expiresAt';

/**
 * The config table: one immutable item per version of a key, `pk = CONFIG#<key>`,
 * `sk = V#<10-digit version>`. No index: "latest" is a Query on the key's partition read backwards with
 * `Limit: 1`, and listing issues one such Query per registry key (the registry is the closed list of keys),
 * so nothing ever scans the table. No TTL: versions are the change history and are kept.
 */
export const configTableDefinition = (tableName: string): CreateTableCommandInput => ({
  TableName: tableName,
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'S' },
  ],
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ],
});
