import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { ScalarAttributeType } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { yamlParse } from 'yaml-cfn';
import { templatePath } from '#build/paths.ts';
import { ensureTable, localDynamoClient, seedDynamo } from './seed-dynamodb.ts';

/** An `AWS::Serverless::SimpleTable` of the SAM template, as the local seeders create it. */
export interface TemplateTable {
  logicalId: string;
  tableName: string;
  key: { name: string; type: ScalarAttributeType };
  /** JSON array of items to put locally, from the resource's `Metadata.LocalSeedItems` (template-relative). */
  seedItemsFile?: string;
}

const KEY_TYPES: Record<string, ScalarAttributeType> = { String: 'S', Number: 'N', Binary: 'B' };

type Json = Record<string, unknown>;
const asObject = (value: unknown): Json => (value && typeof value === 'object' ? (value as Json) : {});

/** The SimpleTables a function declares next to itself in the template (the function's own data). */
export const readTemplateTables = (file: string): TemplateTable[] => {
  const template = asObject(yamlParse(readFileSync(file, 'utf8')));
  const tables: TemplateTable[] = [];
  for (const [logicalId, resource] of Object.entries(asObject(template.Resources))) {
    const { Type, Properties, Metadata } = asObject(resource);
    if (Type !== 'AWS::Serverless::SimpleTable') continue;
    const props = asObject(Properties);
    if (typeof props.TableName !== 'string') {
      throw new Error(
        `${logicalId}: give a plain TableName in the local template (the seeders do not resolve intrinsics)`,
      );
    }
    const primaryKey = asObject(props.PrimaryKey);
    const name = typeof primaryKey.Name === 'string' ? primaryKey.Name : 'id';
    const type = KEY_TYPES[String(primaryKey.Type ?? 'String')];
    if (!type) throw new Error(`${logicalId}: PrimaryKey.Type must be String, Number or Binary`);
    const seed = asObject(Metadata).LocalSeedItems;
    tables.push({
      logicalId,
      tableName: props.TableName,
      key: { name, type },
      ...(typeof seed === 'string' ? { seedItemsFile: resolve(dirname(file), seed) } : {}),
    });
  }
  return tables;
};

const putIfAbsent = async (
  doc: DynamoDBDocumentClient,
  table: TemplateTable,
  item: Json,
): Promise<boolean> => {
  try {
    await doc.send(
      new PutCommand({
        TableName: table.tableName,
        Item: item,
        ConditionExpression: 'attribute_not_exists(#key)',
        ExpressionAttributeNames: { '#key': table.key.name },
      }),
    );
    return true;
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
};

/**
 * Creates the template's SimpleTables in a local DynamoDB API and puts their seed items. An item that
 * already exists is left alone, so seeding never overwrites what a developer changed locally.
 */
export const seedTemplateTables = async (endpoint: string, root: string): Promise<Record<string, string>> => {
  const tables = readTemplateTables(templatePath(root));
  if (tables.length === 0) return {};
  const client = localDynamoClient(endpoint);
  const doc = DynamoDBDocumentClient.from(client);
  const outcome: Record<string, string> = {};
  try {
    for (const table of tables) {
      const created = await ensureTable(client, {
        TableName: table.tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: table.key.name, AttributeType: table.key.type }],
        KeySchema: [{ AttributeName: table.key.name, KeyType: 'HASH' }],
      });
      let added = 0;
      if (table.seedItemsFile) {
        const items = JSON.parse(readFileSync(table.seedItemsFile, 'utf8')) as unknown;
        if (!Array.isArray(items)) throw new Error(`${table.seedItemsFile} must hold a JSON array of items`);
        for (const item of items) if (await putIfAbsent(doc, table, asObject(item))) added += 1;
      }
      outcome[table.tableName] = `${created}${table.seedItemsFile ? `, ${added} item(s) added` : ''}`;
    }
    return outcome;
  } finally {
    client.destroy();
  }
};

/** Every table the functions need in a local DynamoDB API: audit, config, and the template's own tables. */
export const seedLocalTables = async (
  endpoint: string,
  root: string,
  tables: { audit: string; config?: string | undefined },
): Promise<Record<string, string>> => ({
  ...(await seedDynamo(endpoint, tables)),
  ...(await seedTemplateTables(endpoint, root)),
});
