import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { SEED_ACTOR_ID } from '#common/constants/config.ts';
import { CONFIG_KEYS, ConfigItemSchema, ConfigRegistry, toConfigRecord } from '#common/models/config.ts';
import { AUDIT_TTL_ATTRIBUTE, auditTableDefinition, configTableDefinition } from './dynamodb-tables.ts';

/** A client for DynamoDB Local, with dummy credentials. */
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

/** Creates a table unless it exists, waits for ACTIVE, and enables TTL on it as in AWS. */
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
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: ttlAttribute, Enabled: true },
      }),
    );
  }
  return 'created';
};

/** The request id recorded on seeded versions, so they are told apart from versions written through the API. */
export const SEED_REQUEST_ID = 'db-seed';

/**
 * Writes version 1 of every registry key with its registry `initial` value. Each put is conditional on
 * version 1 not existing, so seeding again changes nothing: a key that has any version keeps it (versions
 * start at 1 and are never deleted), and a later version is never touched. Returns how many it wrote.
 */
export const seedConfigRegistry = async (
  client: DynamoDBClient,
  tableName: string,
  now: Date = new Date(),
): Promise<{ written: number; kept: number }> => {
  const doc = DynamoDBDocumentClient.from(client);
  const outcomes = await Promise.all(
    CONFIG_KEYS.map(async (key) => {
      const item = ConfigItemSchema.parse({
        key,
        value: ConfigRegistry[key].initial,
        version: 1,
        updatedAt: now.toISOString(),
        updatedBy: SEED_ACTOR_ID,
      });
      try {
        await doc.send(
          new PutCommand({
            TableName: tableName,
            Item: toConfigRecord(item, SEED_REQUEST_ID),
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return 'written';
      } catch (error) {
        if ((error as Error).name === 'ConditionalCheckFailedException') return 'kept';
        throw error;
      }
    }),
  );
  const written = outcomes.filter((outcome) => outcome === 'written').length;
  return { written, kept: outcomes.length - written };
};

/** Creates every table the functions need (names from the template's environment) and seeds the config. */
export const seedDynamo = async (
  endpoint: string,
  tables: { audit: string; config?: string | undefined },
): Promise<Record<string, string>> => {
  const client = localDynamoClient(endpoint);
  try {
    const outcomes: Record<string, string> = {
      [tables.audit]: await ensureTable(client, auditTableDefinition(tables.audit), AUDIT_TTL_ATTRIBUTE),
    };
    if (tables.config) {
      const table = await ensureTable(client, configTableDefinition(tables.config));
      const { written, kept } = await seedConfigRegistry(client, tables.config);
      outcomes[tables.config] =
        `${table}; version 1 written for ${written} key${written === 1 ? '' : 's'}, ${kept} already had versions`;
    }
    return outcomes;
  } finally {
    client.destroy();
  }
};
