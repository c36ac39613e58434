import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { buildAuditItem } from '../../models/audit.ts';
import { TEST_AUDIT_TABLE, TestStores } from '#testing/test-stores.ts';
import { DynamoAuditRepository } from '../audit-repository.ts';
import { createDocumentClient } from '../../clients/dynamodb-client.ts';

describe('DynamoAuditRepository against DynamoDB Local', () => {
  let stores: TestStores;
  let repository: DynamoAuditRepository;

  beforeAll(async () => {
    stores = await TestStores.start();
    const client = createDocumentClient({
      AWS_REGION: 'us-east-1',
      DYNAMODB_ENDPOINT: stores.endpoint,
      DYNAMODB_TIMEOUT_MS: 1000,
    });
    repository = new DynamoAuditRepository({ client, tableName: TEST_AUDIT_TABLE });
  });
  afterAll(() => stores.close());

  const item = (status: 'SUCCESS' | 'ERROR') =>
    buildAuditItem({
      action: 'PRICE_READ',
      status,
      subject: { userId: '3f8a2c1e-5b7d-4e9f-a1c2-7d6e5f4a3b2c', productId: 'PROD-101' },
      requestId: 'req-1',
      correlationId: 'corr-1',
      httpStatus: 200,
      service: 'price-fetcher',
      stage: 'local',
      retentionDays: 7,
      now: new Date('2026-01-02T03:04:05.678Z'),
    });

  it('never overwrites an existing item: a second put with the same key is refused', async () => {
    await repository.write(item('SUCCESS'));

    await expect(repository.write(item('ERROR'))).rejects.toBeInstanceOf(ConditionalCheckFailedException);
    const stored = await stores.auditItems();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      status: 'SUCCESS',
      sk: 'AUDIT#2026-01-02T03:04:05.678Z#req-1',
      expiresAt: Math.floor(Date.parse('2026-01-02T03:04:05.678Z') / 1000) + 7 * 86_400,
    });
  });

  it('answers the read-only ping used by the health check, and fails it when the table is gone', async () => {
    await expect(repository.ping()).resolves.toBeUndefined();
    const missing = new DynamoAuditRepository({
      client: createDocumentClient({
        AWS_REGION: 'us-east-1',
        DYNAMODB_ENDPOINT: stores.endpoint,
        DYNAMODB_TIMEOUT_MS: 1000,
      }),
      tableName: 'no-such-table',
    });
    await expect(missing.ping()).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});
