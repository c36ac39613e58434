import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { SEED_ACTOR_ID } from '#common/constants/config.ts';
import type { ConfigRecord } from '#common/models/config.ts';
import {
  CONFIG_KEYS,
  CurrentConfigRecordSchema,
  ConfigRegistry,
  configPartitionKey,
  configVersionSortKey,
} from '#common/models/config.ts';
import { TestStores } from '#testing/test-stores.ts';
import { SEED_REQUEST_ID, localDynamoClient, seedDynamo } from '../seed-dynamodb.ts';

const AUDIT_BASE = 'pricing-audit-seed-test';
const CONFIG_BASE = 'pricing-config-seed-test';
const USER = '3f8a2c1e-5b7d-4e9f-a1c2-7d6e5f4a3b2c';

let stores: TestStores;
let doc: DynamoDBDocumentClient;
let suffix = 0;
let AUDIT = '';
let CONFIG = '';

// The run's DynamoDB Local is shared: each test gets tables of its own, as a fresh store would have.
beforeAll(async () => {
  stores = await TestStores.start();
  doc = DynamoDBDocumentClient.from(localDynamoClient(stores.directEndpoint));
});
beforeEach(() => {
  suffix += 1;
  AUDIT = `${AUDIT_BASE}-${suffix}-${process.pid}`;
  CONFIG = `${CONFIG_BASE}-${suffix}-${process.pid}`;
});
afterAll(async () => {
  doc.destroy();
  await stores.close();
});

const versionsOf = async (key: string): Promise<ConfigRecord[]> => {
  const page = await doc.send(
    new QueryCommand({
      TableName: CONFIG,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': configPartitionKey(key) },
    }),
  );
  return (page.Items ?? []) as ConfigRecord[];
};

describe('seedDynamo with a config table', () => {
  it('creates both tables and writes a valid version 1 of every registry key, by the seed actor', async () => {
    const outcome = await seedDynamo(stores.directEndpoint, { audit: AUDIT, config: CONFIG });

    expect(outcome).toEqual({
      [AUDIT]: 'created',
      [CONFIG]: `created; version 1 written for ${CONFIG_KEYS.length} keys, 0 already had versions`,
    });
    const table = await doc.send(new DescribeTableCommand({ TableName: CONFIG }));
    expect(table.Table?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    for (const key of CONFIG_KEYS) {
      const versions = await versionsOf(key);
      expect(versions).toHaveLength(1);
      expect(CurrentConfigRecordSchema.parse(versions[0])).toMatchObject({
        key,
        version: 1,
        sk: 'V#0000000001',
        value: ConfigRegistry[key].initial,
        updatedBy: SEED_ACTOR_ID,
        requestId: SEED_REQUEST_ID,
      });
    }
  });

  it('is idempotent and never overwrites a version written since, nor adds one', async () => {
    await seedDynamo(stores.directEndpoint, { audit: AUDIT, config: CONFIG });
    const [seeded] = await versionsOf('priceCacheSeconds');
    const later: ConfigRecord = {
      pk: configPartitionKey('priceCacheSeconds'),
      sk: configVersionSortKey(2),
      key: 'priceCacheSeconds',
      value: 5,
      version: 2,
      updatedAt: new Date().toISOString(),
      updatedBy: USER,
      requestId: 'a-real-change',
    };
    await doc.send(new PutCommand({ TableName: CONFIG, Item: later }));

    const again = await seedDynamo(stores.directEndpoint, { audit: AUDIT, config: CONFIG });

    expect(again).toEqual({
      [AUDIT]: 'exists',
      [CONFIG]: `exists; version 1 written for 0 keys, ${CONFIG_KEYS.length} already had versions`,
    });
    expect(await versionsOf('priceCacheSeconds')).toEqual([seeded, later]);
  });

  it('without a config table name, creates the audit table only', async () => {
    const outcome = await seedDynamo(stores.directEndpoint, { audit: AUDIT });

    expect(outcome).toEqual({ [AUDIT]: 'created' });
  });
});
