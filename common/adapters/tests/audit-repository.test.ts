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

  beforeEach(() => stores.reset());

  const item = (status: 'SUCCESS' | 'ERROR', requestId = 'req-1') =>
    buildAuditItem({
      action: 'PRICE_READ',
      status,
      subject: { userId: '3f8a2c1e-5b7d-4e9f-a1c2-7d6e5f4a3b2c', productId: 'PROD-101' },
      requestId,
      correlationId: 'corr-1',
      httpStatus: 200,
      service: 'price-fetcher',
      stage: 'local',
      // The table has TTL on (as in AWS): a long retention keeps this fixed past date from expiring mid-test.
      retentionDays: 7300,
      now: new Date('2026-01-02T03:04:05.678Z'),
    });

  it('never overwrites an existing item: a put on a key stored by another request is refused', async () => {
    await repository.write(item('SUCCESS'));
    // Same key (same timestamp and request id in the sort key), but the stored item names another request.
    const impostor = { ...item('ERROR'), requestId: 'req-other' };

    await expect(repository.write(impostor)).rejects.toBeInstanceOf(ConditionalCheckFailedException);
    const stored = await stores.auditItems();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      status: 'SUCCESS',
      sk: 'AUDIT#2026-01-02T03:04:05.678Z#req-1',
      expiresAt: Math.floor(Date.parse('2026-01-02T03:04:05.678Z') / 1000) + 7300 * 86_400,
    });
  });

  it.each(['drop', '500'] as const)(
    'when the acknowledgement of a stored put is lost (%s) and the SDK retries, recognises its own item: success, exactly one item',
    async (how) => {
      stores.faults.addRule({
        match: (request) => request.operation === 'PutItem' && request.body.includes(TEST_AUDIT_TABLE),
        fault: { kind: 'lose-ack', how },
        times: 1,
      });

      await expect(repository.write(item('SUCCESS'))).resolves.toBe('SUCCESS');

      expect(stores.faults.faulted()).toBeGreaterThanOrEqual(1);
      // The retry reached DynamoDB and met the condition: two PutItems for one item.
      expect(stores.faults.operations().filter((operation) => operation === 'PutItem')).toHaveLength(2);
      const stored = await stores.auditItems();
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatchObject({ requestId: 'req-1', status: 'SUCCESS' });
    },
  );

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
