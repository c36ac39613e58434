import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CONFIG_KEYS, ConfigRegistry } from '#common/models/config.ts';
import { TEST_AUDIT_TABLE, TEST_CONFIG_TABLE, TestStores } from '#testing/test-stores.ts';
import { AuditAction, AuditStatus } from '#common/constants/audit.ts';
import { buildAuditItem } from '#common/models/audit.ts';
import { localDynamoClient } from '#testing/local-stack.ts';
import { DynamoConfigRepository } from '../src/repository-config.ts';
import { ConfigService } from '../src/service.ts';
import { USER } from '#testing/config-service-requests.ts';

/** Every request the client sends: the command and how many items DynamoDB examined for it. */
interface Sent {
  command: string;
  scanned: number | undefined;
}

const recordRequests = (client: DynamoDBClient): Sent[] => {
  const sent: Sent[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      const output = result.output as { ScannedCount?: number };
      sent.push({ command: context.commandName ?? 'unknown', scanned: output.ScannedCount });
      return result;
    },
    { step: 'initialize', name: 'recordRequests' },
  );
  return sent;
};

let stores: TestStores;
let client: DynamoDBClient;
let sent: Sent[];
let repository: DynamoConfigRepository;

beforeAll(async () => {
  stores = await TestStores.start();
  client = localDynamoClient(stores.endpoint);
  sent = recordRequests(client);
  repository = new DynamoConfigRepository({
    client: DynamoDBDocumentClient.from(client),
    tableName: TEST_CONFIG_TABLE,
    auditTable: TEST_AUDIT_TABLE,
  });
});
afterAll(async () => {
  client.destroy();
  await stores.close();
});

/** Lists through the real service and repository (no cache) and returns the requests it sent. */
const listAndRecord = async () => {
  sent.length = 0;
  const items = await new ConfigService({ configs: repository }).list();
  return { items, requests: [...sent] };
};

describe('GET /config listing cost', () => {
  it('does not grow with history: one single-item Query per registry key, never a Scan', async () => {
    const before = await listAndRecord();

    const versionsPerKey = 40;
    for (const key of CONFIG_KEYS) {
      for (let version = 2; version <= versionsPerKey; version += 1) {
        await repository.putVersion(
          {
            key,
            value: ConfigRegistry[key].initial,
            version,
            updatedAt: new Date().toISOString(),
            updatedBy: USER,
          },
          `history-${key}-${version}`,
          {
            audit: buildAuditItem({
              action: AuditAction.ConfigUpdate,
              status: AuditStatus.Success,
              subject: { userId: USER, configKey: key },
              requestId: `history-${key}-${version}`,
              correlationId: `history-${key}-${version}`,
              httpStatus: 200,
              service: 'config-service',
              stage: 'local',
              retentionDays: 7,
              now: new Date(),
            }),
          },
        );
      }
    }
    const after = await listAndRecord();

    expect(before.items.map((item) => item.version)).toEqual(CONFIG_KEYS.map(() => 1));
    expect(after.items.map((item) => item.version)).toEqual(CONFIG_KEYS.map(() => versionsPerKey));
    const expected = CONFIG_KEYS.map(() => ({ command: 'QueryCommand', scanned: 1 }));
    expect(before.requests).toEqual(expected);
    expect(after.requests).toEqual(expected);
  });
});
