import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { AuditItem } from '../models/audit.ts';
import { AuditStatus } from '../constants/audit.ts';

/**
 * The `requestId` of an item DynamoDB returned with a failed condition (`ReturnValuesOnConditionCheckFailure`
 * or a transaction's `CancellationReasons`). Such items arrive in the wire format (`{ S: "..." }`): the
 * document client does not unmarshall errors. A plain value is accepted too.
 */
export const storedRequestId = (item: unknown): string | undefined => storedString(item, 'requestId');

/** The `status` of an audit item returned that way (see storedRequestId), if it is one. */
export const storedStatus = (item: unknown): AuditItem['status'] | undefined => {
  const status = storedString(item, 'status');
  return (Object.values(AuditStatus) as string[]).includes(status ?? '')
    ? (status as AuditItem['status'])
    : undefined;
};

const storedString = (item: unknown, name: string): string | undefined => {
  if (typeof item !== 'object' || item === null) return undefined;
  const value = (item as Record<string, AttributeValue | string | undefined>)[name];
  if (typeof value === 'string') return value;
  return typeof value?.S === 'string' ? value.S : undefined;
};
