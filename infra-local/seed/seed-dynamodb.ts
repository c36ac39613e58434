import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { AUDIT_TTL_ATTRIBUTE, auditTableDefinition } from './dynamodb-tables.ts';

/** A client for a local DynamoDB API (dynalite or DynamoDB Local), with dummy credentials. */
export const localDynamoClient = (endpoint: string, options: { maxAttempts?: number } = {}): DynamoDBClient =>
  new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: options.maxAttempts ?? 2,
  });

const tableExists = async (client: DynamoDBClient, tableName: string): Promise<boolean> => {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return true;
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') return false;
    throw error;
  }
};

/** Creates a table unless it exists, waits for ACTIVE, and enables TTL where the emulator supports it. */
export const ensureTable = async (
  client: DynamoDBClient,
  definition: CreateTableCommandInput,
  ttlAttribute?: string,
): Promise<'created' | 'exists'> => {
  const tableName = definition.TableName!;
  if (await tableExists(client, tableName)) return 'exists';
  try {
    await client.send(new CreateTableCommand(definition));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await waitUntilTableExists({ client, maxWaitTime: 30, minDelay: 1, maxDelay: 2 }, { TableName: tableName });
  if (ttlAttribute) {
    // dynalite has no UpdateTimeToLive; DynamoDB Local and AWS do. Best effort locally.
    await client
      .send(
        new UpdateTimeToLiveCommand({
          TableName: tableName,
          TimeToLiveSpecification: { AttributeName: ttlAttribute, Enabled: true },
        }),
      )
      .catch(() => undefined);
  }
  return 'created';
};

/** Creates every table the functions need (names from the template's environment). */
export const seedDynamo = async (
  endpoint: string,
  tables: { audit: string },
): Promise<Record<string, string>> => {
  const client = localDynamoClient(endpoint);
  try {
    return {
      [tables.audit]: await ensureTable(client, auditTableDefinition(tables.audit), AUDIT_TTL_ATTRIBUTE),
    };
  } finally {
    client.destroy();
  }
};
