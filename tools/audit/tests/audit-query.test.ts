import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AuditAction, AuditStatus } from '#common/constants/audit.ts';
import type { AuditItem } from '#common/models/audit.ts';
import { buildAuditItem } from '#common/models/audit.ts';
import { AuditQuerySchema } from '../model.ts';
import { TEST_AUDIT_TABLE, TestStores } from '#testing/test-stores.ts';
import { queryAuditTrail } from '../query.ts';
import { localDynamoClient } from '#infra-local/seed/seed-dynamodb.ts';

const run = promisify(execFile);

const ALICE = '0b6f3b8e-0c1a-4d7e-9a51-3c3f1f6f2a01';
const BOB = '1c7a4c9f-1d2b-4e8f-8b62-4d4a2a7a3b02';
const CAROL = '2d8b5da0-2e3c-4f90-9c73-5e5b3b8b4c03';
const DAN = '3e9c6eb1-3f4d-4a01-ad84-6f6c4c9c5d04';
const USERS = [ALICE, BOB, CAROL, DAN];
const START = Date.parse('2026-03-01T00:00:00.000Z');
const MINUTE = 60_000;
/** Twenty years: the fixtures' `expiresAt` lies in the future, so the table's TTL leaves them alone. */
const FIXTURE_RETENTION_DAYS = 7300;

/**
 * 3,000 items (about 1.3 MB) as the functions write them: 2,600 lookups of PROD-101 by four users, 300 of PROD-102, and 100
 * rejected requests with no product (outside the index), one every few minutes through March 2026.
 */
const fixture = (): AuditItem[] =>
  Array.from({ length: 3000 }, (_, index) => {
    const productId = index < 2600 ? 'PROD-101' : index < 2900 ? 'PROD-102' : undefined;
    const status = productId
      ? index % 10 === 0
        ? AuditStatus.NotFound
        : AuditStatus.Success
      : AuditStatus.Rejected;
    return buildAuditItem({
      action: AuditAction.PriceRead,
      status,
      subject: { userId: USERS[index % USERS.length], productId },
      requestId: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
      // Callers' correlation ids are often trace-length (up to 128 characters): items of about 450 bytes.
      correlationId: `fixture-${index}-${'0123456789abcdef'.repeat(6)}`,
      httpStatus: status === AuditStatus.Success ? 200 : status === AuditStatus.NotFound ? 404 : 400,
      service: 'price-fetcher',
      stage: 'test',
      // DynamoDB Local enforces TTL, as AWS does: March 2026 items must not expire while the test runs.
      retentionDays: FIXTURE_RETENTION_DAYS,
      now: new Date(START + index * 14 * MINUTE),
      ...(status === AuditStatus.Rejected ? { errorCode: 'VALIDATION_ERROR', rejectedFields: ['id'] } : {}),
    });
  });

const ERIN = '4fad7fc2-4a5e-4b12-be95-707d5dad6e05';

/**
 * 240 config-service items by Erin (kept apart from the lookups above): reads and changes of two keys and of
 * a retired one, some refused, and reads of the whole list, which name no key and so are outside the index.
 */
const configFixture = (): AuditItem[] =>
  Array.from({ length: 240 }, (_, index) => {
    const configKey =
      index % 6 === 5
        ? undefined
        : index % 6 === 4
          ? 'auditRetentionDays'
          : index % 3 === 0
            ? 'priceCacheSeconds'
            : 'maintenanceMode';
    const update = index % 4 === 1;
    const refused = update && index % 8 === 1;
    return buildAuditItem({
      action: update ? AuditAction.ConfigUpdate : AuditAction.ConfigRead,
      status: refused ? AuditStatus.Rejected : AuditStatus.Success,
      subject: { userId: ERIN, configKey },
      requestId: `10000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
      correlationId: `config-fixture-${index}`,
      httpStatus: refused ? 409 : 200,
      service: 'config-service',
      stage: 'test',
      retentionDays: FIXTURE_RETENTION_DAYS,
      now: new Date(START + index * 180 * MINUTE + 7_000),
      ...(refused ? { errorCode: 'VERSION_CONFLICT' } : {}),
      outcome: update
        ? { expectedVersion: index, ...(refused ? {} : { version: index + 1 }) }
        : { version: 1 },
    });
  });

let stores: TestStores;
let items: AuditItem[];
let configItems: AuditItem[];
let doc: DynamoDBDocumentClient;
let sent: string[] = [];

beforeAll(async () => {
  stores = await TestStores.start();
  doc = DynamoDBDocumentClient.from(localDynamoClient(stores.endpoint));
  // Records every command the client sends: the evidence that a query is Query calls only, never a Scan.
  doc.middlewareStack.add(
    (next, context) => (args) => {
      sent.push(context.commandName ?? 'unknown');
      return next(args);
    },
    { step: 'initialize', name: 'recordCommands' },
  );
  items = fixture();
  configItems = configFixture();
  const all = [...items, ...configItems];
  const batches = Array.from({ length: Math.ceil(all.length / 25) }, (_, index) =>
    all.slice(index * 25, index * 25 + 25),
  );
  const writeBatch = async (batch: AuditItem[]) => {
    let request: Record<string, unknown[]> | undefined = {
      [TEST_AUDIT_TABLE]: batch.map((item) => ({ PutRequest: { Item: item } })),
    };
    while (request && Object.keys(request).length > 0) {
      const result = await doc.send(new BatchWriteCommand({ RequestItems: request as never }));
      request = result.UnprocessedItems as typeof request;
    }
  };
  // Eight writers at a time: seeding takes a few seconds instead of fifteen.
  for (let index = 0; index < batches.length; index += 8) {
    await Promise.all(batches.slice(index, index + 8).map(writeBatch));
  }
}, 60_000);
beforeEach(() => {
  sent = [];
});
afterAll(async () => {
  doc.destroy();
  await stores.close();
});

const collect = async (raw: Record<string, unknown>, pageSize?: number) => {
  const query = AuditQuerySchema.parse(raw);
  const pages: number[] = [];
  const found: Record<string, unknown>[] = [];
  for await (const page of queryAuditTrail(doc, {
    tableName: TEST_AUDIT_TABLE,
    query,
    ...(pageSize ? { pageSize } : {}),
  })) {
    pages.push(page.items.length);
    found.push(...page.items);
  }
  return { pages, found };
};

const requestIds = (list: Record<string, unknown>[]) => list.map((item) => item.requestId as string);
const inRange = (item: AuditItem, from: string, to: string) => item.timestamp >= from && item.timestamp <= to;

describe('audit queries against DynamoDB Local with 3,000 items', () => {
  it('who looked at PROD-101: every lookup, oldest first, through Query calls on the product index only', async () => {
    const expected = items.filter((item) => item.productId === 'PROD-101');

    const { pages, found } = await collect({ by: 'product', productId: 'PROD-101' });

    expect(requestIds(found)).toEqual(requestIds(expected));
    expect(found[0]).toEqual(expected[0]);
    // 2,600 items are more than one 1 MB page: DynamoDB (and DynamoDB Local) page, and every page is one Query.
    expect(pages.length).toBeGreaterThan(1);
    expect(sent).toEqual(pages.map(() => 'QueryCommand'));
  });

  it('who looked at PROD-101 between two instants: inclusive bounds, small pages, still only Query', async () => {
    const from = '2026-03-05T00:00:00.000Z';
    const to = new Date(START + 1500 * 14 * MINUTE).toISOString(); // exactly the timestamp of item 1500
    const expected = items.filter((item) => item.productId === 'PROD-101' && inRange(item, from, to));

    const { pages, found } = await collect({ by: 'product', productId: 'PROD-101', from, to }, 100);

    expect(requestIds(found)).toEqual(requestIds(expected));
    expect(found.at(-1)?.timestamp).toBe(to);
    expect(pages.length).toBeGreaterThanOrEqual(Math.ceil(expected.length / 100));
    expect(new Set(sent)).toEqual(new Set(['QueryCommand']));
  });

  it('what did Alice look at in a day range: all her lookups on the table key, with offsets normalised to UTC', async () => {
    const expected = items.filter(
      (item) =>
        item.userId === ALICE && inRange(item, '2026-03-10T00:00:00.000Z', '2026-03-20T23:59:59.999Z'),
    );

    const { found } = await collect(
      { by: 'user', userId: ALICE.toUpperCase(), from: '2026-03-10', to: '2026-03-21T00:59:59.999+01:00' },
      50,
    );

    expect(requestIds(found)).toEqual(requestIds(expected));
    expect(expected.length).toBeGreaterThan(100);
    expect(new Set(sent)).toEqual(new Set(['QueryCommand']));
  });

  it('who read or changed maintenanceMode: its reads and changes, oldest first, one Query on the resource index', async () => {
    const expected = configItems.filter((item) => item.configKey === 'maintenanceMode');

    const { pages, found } = await collect({ by: 'config', configKey: 'maintenanceMode' });

    expect(requestIds(found)).toEqual(requestIds(expected));
    expect(found).toEqual(expected);
    expect(new Set(found.map((item) => item.action))).toEqual(new Set(['CONFIG_READ', 'CONFIG_UPDATE']));
    expect(sent).toEqual(pages.map(() => 'QueryCommand'));
  });

  it('who changed priceCacheSeconds in a range: inclusive bounds, small pages, still only Query', async () => {
    const from = '2026-03-05';
    const to = '2026-03-20T12:00:00+01:00';
    const expected = configItems.filter(
      (item) =>
        item.configKey === 'priceCacheSeconds' &&
        inRange(item, '2026-03-05T00:00:00.000Z', '2026-03-20T11:00:00.000Z'),
    );

    const { pages, found } = await collect({ by: 'config', configKey: 'priceCacheSeconds', from, to }, 10);

    expect(requestIds(found)).toEqual(requestIds(expected));
    expect(expected.length).toBeGreaterThan(20);
    expect(pages.length).toBeGreaterThan(2);
    expect(new Set(sent)).toEqual(new Set(['QueryCommand']));
  });

  it('who read or changed a retired key (auditRetentionDays): its items stay in the trail and are found', async () => {
    const expected = configItems.filter((item) => item.configKey === 'auditRetentionDays');

    const { found } = await collect({ by: 'config', configKey: 'auditRetentionDays' });

    expect(expected.length).toBeGreaterThan(20);
    expect(found.map((item) => item.requestId)).toEqual(expected.map((item) => item.requestId));
  });

  it('answers an empty result with one Query and no items', async () => {
    const { pages, found } = await collect({ by: 'product', productId: 'PROD-404' });
    expect(found).toEqual([]);
    expect(pages).toEqual([0]);
    expect(sent).toEqual(['QueryCommand']);
  });
});

describe('npm run audit:query (the CLI, as compliance staff run it)', () => {
  const cli = (...args: string[]) =>
    run(
      process.execPath,
      ['tools/audit/cli.ts', ...args, '--endpoint', stores.endpoint, '--table', TEST_AUDIT_TABLE],
      {
        maxBuffer: 64 * 1024 * 1024,
      },
    );

  it('exports JSON with every item exactly as stored, and reports the pages on stderr', async () => {
    const expected = items.filter((item) => item.productId === 'PROD-102');

    const { stdout, stderr } = await cli('--product', 'PROD-102', '--format', 'json', '--page-size', '100');

    expect(JSON.parse(stdout)).toEqual(expected);
    expect(stderr).toContain('audit-query: page 3, 300 items so far');
    expect(stderr).toMatch(
      /audit-query: 300 items for product PROD-102 in 4 Query pages from pricing-audit-test/,
    );
  });

  it('exports CSV with a header and one row per lookup', async () => {
    const expected = items.filter((item) => item.userId === BOB && item.timestamp < '2026-03-03');

    const { stdout } = await cli('--user', BOB, '--to', '2026-03-02', '--format', 'csv');

    const rows = stdout.trimEnd().split('\r\n');
    expect(rows[0]).toBe(
      'timestamp,userId,action,status,httpStatus,productId,configKey,resource,errorCode,rejectedFields,requestId,correlationId,service,stage,expiresAt,pk,sk',
    );
    expect(rows).toHaveLength(expected.length + 1);
    expect(rows[1]).toBe(
      [
        expected[0]!.timestamp,
        BOB,
        'PRICE_READ',
        expected[0]!.status,
        expected[0]!.httpStatus,
        'PROD-101',
        '',
        'PRODUCT#PROD-101',
        '',
        '',
        expected[0]!.requestId,
        expected[0]!.correlationId,
        'price-fetcher',
        'test',
        expected[0]!.expiresAt,
        `USER#${BOB}`,
        expected[0]!.sk,
      ].join(','),
    );
  });

  it('prints a readable table by default', async () => {
    const { stdout } = await cli(
      '--user',
      CAROL,
      '--from',
      '2026-03-01T00:00:00Z',
      '--to',
      '2026-03-01T02:00:00Z',
    );

    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^TIME \(UTC\)\s+USER\s+RESOURCE\s+ACTION\s+STATUS\s+HTTP\s+ERROR\s+REQUEST ID$/,
    );
    expect(lines.slice(2, -1)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^2026-03-01T00:28:00.000Z  ${CAROL}  PROD-101 +PRICE_READ +SUCCESS +200 +0{8}-0{4}-4000-8000-0{10}02$`,
        ),
      ),
      expect.stringMatching(/^2026-03-01T01:24:00.000Z .* PROD-101 +PRICE_READ +SUCCESS +200 +\S+06$/),
    ]);
    expect(lines.at(-1)).toBe('(2 lookups)');
  });

  it('through npm run audit:query, the documented entry point', async () => {
    const { stdout } = await run(
      'npm',
      [
        'run',
        '--silent',
        'audit:query',
        '--',
        '--product',
        'PROD-102',
        '--format',
        'json',
        '--endpoint',
        stores.endpoint,
        '--table',
        TEST_AUDIT_TABLE,
      ],
      {
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    expect(JSON.parse(stdout)).toHaveLength(300);
  });

  it('--config exports who read or changed a key, and names the key in the summary', async () => {
    const expected = configItems.filter((item) => item.configKey === 'priceCacheSeconds');

    const { stdout, stderr } = await cli('--config', 'priceCacheSeconds', '--format', 'json');

    expect(JSON.parse(stdout)).toEqual(expected);
    expect(stderr).toMatch(
      new RegExp(
        `audit-query: ${expected.length} items for config key priceCacheSeconds in 1 Query page from`,
      ),
    );
  });

  it('--config prints the key, the action and the outcome status in the table', async () => {
    const { stdout } = await cli('--config', 'maintenanceMode', '--to', '2026-03-01T10:00:00Z');

    const lines = stdout.trimEnd().split('\n');
    expect(lines.slice(2, -1)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^2026-03-01T03:00:07.000Z  ${ERIN}  maintenanceMode +CONFIG_UPDATE +REJECTED +409 +VERSION_CONFLICT +\\S+01$`,
        ),
      ),
      expect.stringMatching(
        /^2026-03-01T06:00:07.000Z .* maintenanceMode +CONFIG_READ +SUCCESS +200 +\S+02$/,
      ),
    ]);
  });

  it.each([
    [['--user', 'bob@example.com'], '--user: must be a UUID'],
    [
      ['--config', 'darkLaunch'],
      '--config: must be a configuration key (maintenanceMode, supportedCurrencies, priceCacheSeconds; retired: auditRetentionDays)',
    ],
    [['--config', "maintenanceMode' OR 1=1"], '--config: must be a configuration key'],
    [['--config', 'maintenanceMode', '--user', ALICE], 'give exactly one of'],
    [['--product', "PROD-1' OR 1=1"], '--product: must be 1 to 64 letters'],
    [
      ['--product', 'PROD-101', '--user', ALICE],
      'give exactly one of --product <id>, --user <uuid> or --config <key>',
    ],
    [[], 'give exactly one of --product <id>, --user <uuid> or --config <key>'],
    [['--product', 'PROD-101', '--from', 'yesterday'], '--from: must be an ISO-8601 date'],
    [
      ['--product', 'PROD-101', '--from', '2026-04-01', '--to', '2026-03-01'],
      '--from: "from" must not be later than "to"',
    ],
    [['--product', 'PROD-101', '--format', 'xlsx'], '--format: must be one of table, json, csv'],
  ])('refuses %j with exit code 2 and says why, without echoing the value', async (args, message) => {
    const failure = (await cli(...args).catch((error: unknown) => error)) as {
      code: number;
      stdout: string;
      stderr: string;
    };

    expect(failure.code).toBe(2);
    expect(failure.stdout).toBe('');
    expect(failure.stderr).toContain(`audit-query: ${message}`);
    expect(failure.stderr).not.toMatch(/bob@example|OR 1=1|yesterday|xlsx|darkLaunch/);
  });

  it('when no DynamoDB answers, exits 1 with what to do', async () => {
    const failure = (await run(
      process.execPath,
      ['tools/audit/cli.ts', '--product', 'PROD-101', '--endpoint', 'http://127.0.0.1:9'],
      {},
    ).catch((error: unknown) => error)) as { code: number; stderr: string };

    expect(failure.code).toBe(1);
    expect(failure.stderr).toContain(
      'audit-query: no DynamoDB answers at http://127.0.0.1:9: start the local stores with "npm run dev:env"',
    );
  });
});
