import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/**
 * The `requestId` of an item DynamoDB returned with a failed condition (`ReturnValuesOnConditionCheckFailure`
 * or a transaction's `CancellationReasons`). Such items arrive in the wire format (`{ S: "..." }`): the
 * document client does not unmarshall errors. A plain value is accepted too.
 */
export const storedRequestId = (item: unknown): string | undefined => {
  if (typeof item !== 'object' || item === null) return undefined;
  const value = (item as Record<string, AttributeValue | string | undefined>).requestId;
  if (typeof value === 'string') return value;
  return typeof value?.S === 'string' ? value.S : undefined;
};
