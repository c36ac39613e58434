import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { BaseEnv } from '../utils/env.ts';

/**
 * The DynamoDB document client. With `DYNAMODB_ENDPOINT` set it talks to dynalite or DynamoDB Local with
 * dummy credentials; otherwise it uses the regional endpoint and the Lambda role. Timeouts and retries are
 * bounded so that an unreachable table fails the request (closed) well inside the Lambda timeout.
 */
export const createDocumentClient = (
  env: Pick<BaseEnv, 'AWS_REGION' | 'DYNAMODB_ENDPOINT' | 'DYNAMODB_TIMEOUT_MS'>,
): DynamoDBDocumentClient => {
  const local = env.DYNAMODB_ENDPOINT !== undefined;
  const client = new DynamoDBClient({
    region: env.AWS_REGION,
    maxAttempts: 2,
    requestHandler: {
      connectionTimeout: Math.min(1000, env.DYNAMODB_TIMEOUT_MS),
      requestTimeout: env.DYNAMODB_TIMEOUT_MS,
    },
    ...(local
      ? { endpoint: env.DYNAMODB_ENDPOINT, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
};
