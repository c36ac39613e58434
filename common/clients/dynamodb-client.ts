import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DYNAMODB_MAX_ATTEMPTS } from '../kernel/request-budget.ts';
import type { BaseEnv } from '../utils/env.ts';

/**
 * The DynamoDB document client. With `DYNAMODB_ENDPOINT` set (STAGE=local only, enforced by the
 * environment schema) it talks to DynamoDB Local with dummy credentials; otherwise it uses the regional
 * endpoint and the Lambda role. Every attempt is bounded: `throwOnRequestTimeout` makes the request timeout
 * an error (without it @smithy/node-http-handler only logs a warning, and a store that accepts and never
 * answers holds the call for minutes). Callers add an abort signal from the request's budget on top.
 */
export const createDocumentClient = (
  env: Pick<BaseEnv, 'AWS_REGION' | 'DYNAMODB_ENDPOINT' | 'DYNAMODB_TIMEOUT_MS'>,
): DynamoDBDocumentClient => {
  const local = env.DYNAMODB_ENDPOINT !== undefined;
  const client = new DynamoDBClient({
    region: env.AWS_REGION,
    maxAttempts: DYNAMODB_MAX_ATTEMPTS,
    requestHandler: {
      connectionTimeout: Math.min(500, env.DYNAMODB_TIMEOUT_MS),
      requestTimeout: env.DYNAMODB_TIMEOUT_MS,
      throwOnRequestTimeout: true,
    },
    ...(local
      ? { endpoint: env.DYNAMODB_ENDPOINT, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
};
