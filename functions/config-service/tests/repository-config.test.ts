import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { AuditAction, AuditStatus } from '#common/constants/audit.ts';
import { createDocumentClient } from '#common/clients/dynamodb-client.ts';
import type { AuditItem } from '#common/models/audit.ts';
import { buildAuditItem } from '#common/models/audit.ts';
import type { ConfigItem } from '#common/models/config.ts';
import { USER } from '#testing/config-service-requests.ts';
import { TEST_AUDIT_TABLE, TEST_CONFIG_TABLE, TestStores } from '#testing/test-stores.ts';
import { DynamoConfigRepository } from '../src/repository-config.ts';

let stores: TestStores;
let repository: DynamoConfigRepository;

beforeAll(async () => {
  stores = await TestStores.start();
  repository = new DynamoConfigRepository({
    client: createDocumentClient({
      AWS_REGION: 'us-east-1',
      DYNAMODB_ENDPOINT: stores.endpoint,
      DYNAMODB_TIMEOUT_MS: 1000,
    }),
    tableName: TEST_CONFIG_TABLE,
    auditTable: TEST_AUDIT_TABLE,
  });
});
beforeEach(() => stores.reset());
afterAll(() => stores.close());

const version2 = (value: number): ConfigItem => ({
  key: 'priceCacheSeconds',
  value,
  version: 2,
  updatedAt: new Date().toISOString(),
  updatedBy: USER,
});

const auditOf = (requestId: string): AuditItem =>
  buildAuditItem({
    action: AuditAction.ConfigUpdate,
    status: AuditStatus.Success,
    subject: { userId: USER, configKey: 'priceCacheSeconds' },
    requestId,
    correlationId: requestId,
    httpStatus: 200,
    service: 'config-service',
    stage: 'local',
    retentionDays: 7,
    now: new Date(),
    outcome: { expectedVersion: 1, version: 2 },
  });

describe('DynamoConfigRepository.putVersion: the version and its audit item as one transaction', () => {
  it('stores both, or, when the version exists, reads who stored it from the cancellation reasons', async () => {
    expect(await repository.putVersion(version2(10), 'req-a', { audit: auditOf('req-a') })).toBe('written');

    // Another request, same version: a real conflict, and nothing of it is stored.
    expect(await repository.putVersion(version2(20), 'req-b', { audit: auditOf('req-b') })).toBe('conflict');
    // The same request again (its first answer lost, a fresh client token): recognised as its own write.
    expect(await repository.putVersion(version2(10), 'req-a', { audit: auditOf('req-a') })).toBe('written');

    const versions = await stores.configVersions('priceCacheSeconds');
    expect(versions.map((item) => [item.version, item.requestId, item.value])).toEqual([
      [1, 'db-seed', expect.anything()],
      [2, 'req-a', 10],
    ]);
    expect((await stores.auditItems()).map((item) => item.requestId)).toEqual(['req-a']);
  });

  it('when the store hangs, gives up at the abort signal with ConfigUnavailableError and stores nothing', async () => {
    await stores.hangDynamo();
    try {
      await expect(
        repository.putVersion(version2(30), 'req-c', {
          audit: auditOf('req-c'),
          signal: AbortSignal.timeout(300),
        }),
      ).rejects.toMatchObject({ code: 'CONFIG_UNAVAILABLE' });
    } finally {
      await stores.startDynamo();
    }
    expect((await stores.configVersions('priceCacheSeconds')).map((item) => item.version)).toEqual([1]);
  });

  it('a transaction that arrives after its request’s failure was recorded stores nothing: the audit key is taken', async () => {
    // The audit middleware writes a failure under the request's one key (the SUCCESS item's own key).
    const success = auditOf('req-late');
    await stores.documentClient().send(
      new PutCommand({
        TableName: TEST_AUDIT_TABLE,
        Item: { ...success, status: 'ERROR', httpStatus: 503 },
      }),
    );

    await expect(repository.putVersion(version2(40), 'req-late', { audit: success })).rejects.toMatchObject({
      code: 'CONFIG_UNAVAILABLE',
    });

    expect((await stores.configVersions('priceCacheSeconds')).map((item) => item.version)).toEqual([1]);
    expect(await stores.auditItemFor('req-late')).toMatchObject([{ status: 'ERROR' }]);
  });
});
