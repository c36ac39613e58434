import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { AuditKeys } from '../../common/constants/audit.ts';

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
