import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { SEED_ACTOR_ID } from '#common/constants/config.ts';
import { AuditItemSchema } from '#common/models/audit.ts';
import {
  CONFIG_KEYS,
  ConfigItemSchema,
  ConfigRegistry,
  configVersionSortKey,
} from '#common/models/config.ts';
import { apiEvent, lambdaContext } from '#testing/api-gateway.ts';
import type { LambdaHandler } from '#testing/load-handler.ts';
import { loadHandler } from '#testing/load-handler.ts';
import { TEST_AUDIT_TABLE, TEST_CONFIG_TABLE, TestStores } from '#testing/test-stores.ts';
import type { HttpEvent } from '#common/types/lambda.ts';
import {
  HANDLER,
  OTHER_USER,
  USER,
  errorOf,
  getEvent,
  historyEvent,
  invoke,
  listEvent,
  putEvent,
} from '#testing/config-service-requests.ts';

let stores: TestStores;
/** One container with the cache off, so each test sees the table as it left it. */
let handler: LambdaHandler;

beforeAll(async () => {
  stores = await TestStores.start();
  handler = await loadHandler(HANDLER, stores.configServiceEnv({ CONFIG_CACHE_SECONDS: '0' }));
});
afterAll(async () => {
  await stores.close();
});
// Fresh tables per test: version 1 of every registry key, and no audit items.
beforeEach(async () => {
  await stores.reset();
});

/** Invokes the real Middy handler and returns the response with the audit items it wrote. */
const call = async (event: HttpEvent, fn: LambdaHandler = handler) => {
  const reply = await invoke(fn, event);
  return { ...reply, audit: await stores.auditItemFor(reply.requestId) };
};

/** Writes versions through the API until `key` is at `version`, returning the values written. */
const advance = async (key: 'priceCacheSeconds', version: number): Promise<number[]> => {
  const values: number[] = [];
  for (let expectedVersion = 1; expectedVersion < version; expectedVersion += 1) {
    const value = expectedVersion * 10;
    const { response } = await call(putEvent(key, { value, expectedVersion }));
    expect(response.statusCode).toBe(200);
    values.push(value);
  }
  return values;
};

describe('GET /config', () => {
  it('returns the latest version of every registry key, in registry order, and audits one CONFIG_READ', async () => {
    await advance('priceCacheSeconds', 3);

    const { response, body, audit, requestId } = await call(listEvent());

    expect(response.statusCode).toBe(200);
    const items = (body.items as unknown[]).map((item) => ConfigItemSchema.parse(item));
    expect(items.map((item) => item.key)).toEqual(CONFIG_KEYS);
    expect(items.find((item) => item.key === 'priceCacheSeconds')).toMatchObject({
      value: 20,
      version: 3,
      updatedBy: USER,
    });
    expect(items.find((item) => item.key === 'maintenanceMode')).toMatchObject({
      value: false,
      version: 1,
      updatedBy: SEED_ACTOR_ID,
    });
    expect(Object.keys(items[0]!).sort()).toEqual(['key', 'updatedAt', 'updatedBy', 'value', 'version']);
    expect(audit).toHaveLength(1);
    expect(AuditItemSchema.parse(audit[0])).toMatchObject({
      pk: `USER#${USER}`,
      action: 'CONFIG_READ',
      status: 'SUCCESS',
      httpStatus: 200,
      service: 'config-service',
      requestId,
      outcome: { count: CONFIG_KEYS.length },
    });
    expect(audit[0]).not.toHaveProperty('configKey');
  });

  it('when the caller repeats its own userId (deprecated), audits the read under the token subject', async () => {
    const { response, audit } = await call(listEvent({ userId: USER.toUpperCase() }));

    expect(response.statusCode).toBe(200);
    expect(audit[0]).toMatchObject({ pk: `USER#${USER}`, userId: USER, action: 'CONFIG_READ' });
  });

  it('when a key has no version yet, leaves it out of the list', async () => {
    await stores.documentClient().send(
      new DeleteCommand({
        TableName: TEST_CONFIG_TABLE,
        Key: { pk: 'CONFIG#priceCacheSeconds', sk: configVersionSortKey(1) },
      }),
    );

    const { response, body } = await call(listEvent());

    expect(response.statusCode).toBe(200);
    expect((body.items as { key: string }[]).map((item) => item.key)).toEqual(
      CONFIG_KEYS.filter((key) => key !== 'priceCacheSeconds'),
    );
  });

  it('when a parameter is unknown, returns 400 naming it and audits REJECTED', async () => {
    const { response, body, audit } = await call(listEvent({ verbose: '1' }));

    expect(response.statusCode).toBe(400);
    expect(errorOf(body)).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: [{ field: 'query', issue: 'unknown parameter: verbose' }],
    });
    expect(audit[0]).toMatchObject({
      pk: `USER#${USER}`,
      action: 'CONFIG_READ',
      status: 'REJECTED',
      rejectedFields: ['query'],
    });
  });

  it('when the userId is not the token subject, returns 403 IDENTITY_MISMATCH and audits it without the value', async () => {
    const { response, body, audit } = await call(listEvent({ userId: 'bob@example.com' }));

    expect(response.statusCode).toBe(403);
    expect(errorOf(body).code).toBe('IDENTITY_MISMATCH');
    expect(response.body).not.toContain('bob@example.com');
    expect(audit[0]).toMatchObject({
      pk: `USER#${USER}`,
      action: 'CONFIG_READ',
      status: 'REJECTED',
      errorCode: 'IDENTITY_MISMATCH',
    });
    expect(JSON.stringify(audit[0])).not.toContain('bob@example.com');
  });
});

describe('GET /config/{key}', () => {
  it('returns the latest version of the key and audits it under the key, with the version served', async () => {
    await advance('priceCacheSeconds', 2);

    const { response, body, audit } = await call(getEvent('priceCacheSeconds', { userId: USER }));

    expect(response.statusCode).toBe(200);
    expect(ConfigItemSchema.parse(body)).toMatchObject({ key: 'priceCacheSeconds', value: 10, version: 2 });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: 'CONFIG_READ',
      status: 'SUCCESS',
      userId: USER,
      configKey: 'priceCacheSeconds',
      resource: 'CONFIG#priceCacheSeconds',
      outcome: { version: 2 },
    });
  });

  it('when the key is not in the registry, returns 404 CONFIG_NOT_FOUND and audits NOT_FOUND', async () => {
    const { response, body, audit, requestId } = await call(getEvent('darkLaunch'));

    expect(response.statusCode).toBe(404);
    expect(errorOf(body)).toMatchObject({ code: 'CONFIG_NOT_FOUND', requestId });
    expect(audit[0]).toMatchObject({
      action: 'CONFIG_READ',
      status: 'NOT_FOUND',
      configKey: 'darkLaunch',
      errorCode: 'CONFIG_NOT_FOUND',
      httpStatus: 404,
    });
  });

  it('when a registry key has no version yet, returns 404 CONFIG_NOT_FOUND', async () => {
    await stores.documentClient().send(
      new DeleteCommand({
        TableName: TEST_CONFIG_TABLE,
        Key: { pk: 'CONFIG#maintenanceMode', sk: configVersionSortKey(1) },
      }),
    );

    const { response, body } = await call(getEvent('maintenanceMode'));

    expect(response.statusCode).toBe(404);
    expect(errorOf(body)).toMatchObject({
      code: 'CONFIG_NOT_FOUND',
      message: 'Configuration key maintenanceMode has no value yet.',
    });
  });

  it.each([['../../etc/passwd'], ['<script>alert(1)</script>'], ['Maintenance'], ['x'.repeat(65)]])(
    'when the key %p is malformed, returns 400 naming the key without echoing it',
    async (key) => {
      const { response, body, audit } = await call(getEvent(key));

      expect(response.statusCode).toBe(400);
      expect(errorOf(body).details).toEqual([{ field: 'key', issue: expect.stringContaining('letters') }]);
      expect(response.body).not.toContain(key);
      expect(audit[0]).toMatchObject({ status: 'REJECTED', rejectedFields: ['key'] });
      expect(audit[0]).not.toHaveProperty('configKey');
    },
  );
});

describe('GET /config/{key}/history', () => {
  it('returns every version newest first, page by page, each exactly once, with no cursor on the last page', async () => {
    await advance('priceCacheSeconds', 5);

    const pages: { versions: number[]; nextCursor: unknown }[] = [];
    let cursor: string | undefined;
    do {
      const { response, body, audit } = await call(
        historyEvent('priceCacheSeconds', { limit: '2', ...(cursor ? { cursor } : {}) }),
      );
      expect(response.statusCode).toBe(200);
      expect(audit).toHaveLength(1);
      const items = (body.items as unknown[]).map((item) => ConfigItemSchema.parse(item));
      pages.push({ versions: items.map((item) => item.version), nextCursor: body.nextCursor });
      cursor = typeof body.nextCursor === 'string' ? body.nextCursor : undefined;
    } while (cursor);

    expect(pages.map((page) => page.versions)).toEqual([[5, 4], [3, 2], [1]]);
    expect(pages.at(-1)!.nextCursor).toBeNull();
  });

  it('when the history fits one page, returns it whole with a null cursor (default limit 20)', async () => {
    await advance('priceCacheSeconds', 4);

    const { response, body, audit } = await call(historyEvent('priceCacheSeconds'));

    expect(response.statusCode).toBe(200);
    expect(body.nextCursor).toBeNull();
    expect(
      (body.items as { version: number; value: number; updatedBy: string }[]).map((item) => item.value),
    ).toEqual([30, 20, 10, ConfigRegistry.priceCacheSeconds.initial]);
    expect(audit[0]).toMatchObject({
      action: 'CONFIG_READ',
      configKey: 'priceCacheSeconds',
      outcome: { count: 4 },
    });
  });

  it('when the page ends exactly at version 1, gives no cursor to an empty page', async () => {
    await advance('priceCacheSeconds', 2);

    const { body } = await call(historyEvent('priceCacheSeconds', { limit: '2' }));

    expect((body.items as unknown[]).length).toBe(2);
    expect(body.nextCursor).toBeNull();
  });

  it.each([
    ['0', 'must be a whole number from 1 to 100'],
    ['101', 'must be a whole number from 1 to 100'],
    ['1e1', 'must be a whole number from 1 to 100'],
    ['ten', 'must be a whole number from 1 to 100'],
  ])('when limit is %p, returns 400 naming limit', async (limit, issue) => {
    const { response, body } = await call(historyEvent('priceCacheSeconds', { limit }));

    expect(response.statusCode).toBe(400);
    expect(errorOf(body).details).toEqual([{ field: 'limit', issue }]);
  });

  it('when the cursor was not issued by the API or belongs to another key, returns 400 naming cursor', async () => {
    await advance('priceCacheSeconds', 3);
    const first = await call(historyEvent('priceCacheSeconds', { limit: '1' }));
    const foreign = first.body.nextCursor as string;

    const forged = await call(historyEvent('priceCacheSeconds', { cursor: 'bm90LWEtY3Vyc29y' }));
    const replayed = await call(historyEvent('maintenanceMode', { cursor: foreign }));

    expect(forged.response.statusCode).toBe(400);
    expect(errorOf(forged.body).details).toEqual([
      { field: 'cursor', issue: 'is not a cursor this API returned' },
    ]);
    expect(replayed.response.statusCode).toBe(400);
    expect(errorOf(replayed.body).details).toEqual([
      { field: 'cursor', issue: 'belongs to the history of another key' },
    ]);
    expect(replayed.audit[0]).toMatchObject({ status: 'REJECTED', rejectedFields: ['cursor'] });
  });

  it('when the key is not in the registry, returns 404 CONFIG_NOT_FOUND', async () => {
    const { response, body, audit } = await call(historyEvent('darkLaunch'));

    expect(response.statusCode).toBe(404);
    expect(errorOf(body).code).toBe('CONFIG_NOT_FOUND');
    expect(audit[0]).toMatchObject({ action: 'CONFIG_READ', status: 'NOT_FOUND' });
  });
});

describe('PUT /config/{key}', () => {
  it('writes version expectedVersion + 1, returns it, stores it immutably and audits CONFIG_UPDATE with the version', async () => {
    const { response, body, audit, requestId } = await call(
      putEvent('supportedCurrencies', { value: ['USD', 'EUR'], expectedVersion: 1 }),
    );

    expect(response.statusCode).toBe(200);
    const item = ConfigItemSchema.parse(body);
    expect(item).toMatchObject({
      key: 'supportedCurrencies',
      value: ['USD', 'EUR'],
      version: 2,
      updatedBy: USER,
    });
    const versions = await stores.configVersions('supportedCurrencies');
    expect(versions.map((version) => version.version)).toEqual([1, 2]);
    expect(versions[1]).toEqual({
      ...item,
      pk: 'CONFIG#supportedCurrencies',
      sk: 'V#0000000002',
      requestId,
    });
    expect(versions[0]!.value).toEqual(ConfigRegistry.supportedCurrencies.initial);
    expect(audit).toHaveLength(1);
    expect(AuditItemSchema.parse(audit[0])).toMatchObject({
      pk: `USER#${USER}`,
      action: 'CONFIG_UPDATE',
      status: 'SUCCESS',
      configKey: 'supportedCurrencies',
      resource: 'CONFIG#supportedCurrencies',
      outcome: { expectedVersion: 1, version: 2 },
      httpStatus: 200,
    });
  });

  it('accepts a charset on the JSON content type', async () => {
    const { response } = await call(
      putEvent(
        'maintenanceMode',
        { value: true, expectedVersion: 1 },
        {
          headers: { 'Content-Type': 'application/json; charset=UTF-8' },
        },
      ),
    );
    expect(response.statusCode).toBe(200);
  });

  it('when someone else wrote first (stale expectedVersion), returns 409 VERSION_CONFLICT, writes nothing and audits it', async () => {
    await call(
      putEvent('maintenanceMode', { value: true, expectedVersion: 1 }, { caller: { userId: OTHER_USER } }),
    );

    const { response, body, audit } = await call(
      putEvent('maintenanceMode', { value: false, expectedVersion: 1 }),
    );

    expect(response.statusCode).toBe(409);
    expect(errorOf(body)).toMatchObject({
      code: 'VERSION_CONFLICT',
      message:
        'Version 1 of maintenanceMode was expected, but the current version is 2. Read it again and retry.',
    });
    const versions = await stores.configVersions('maintenanceMode');
    expect(versions.map((version) => [version.version, version.value, version.updatedBy])).toEqual([
      [1, false, SEED_ACTOR_ID],
      [2, true, OTHER_USER],
    ]);
    expect(audit[0]).toMatchObject({
      action: 'CONFIG_UPDATE',
      status: 'REJECTED',
      errorCode: 'VERSION_CONFLICT',
      httpStatus: 409,
      userId: USER,
      outcome: { expectedVersion: 1 },
    });
  });

  it('when expectedVersion is ahead of the latest, returns 409 and leaves no gap in the versions', async () => {
    const { response } = await call(putEvent('priceCacheSeconds', { value: 5, expectedVersion: 7 }));

    expect(response.statusCode).toBe(409);
    expect((await stores.configVersions('priceCacheSeconds')).map((version) => version.version)).toEqual([1]);
  });

  it('when two containers write the same expectedVersion at once, exactly one wins, the others get 409, and no version is lost or overwritten', async () => {
    const second = await loadHandler(HANDLER, stores.configServiceEnv());
    const containers = [handler, second];

    for (let expectedVersion = 1; expectedVersion <= 3; expectedVersion += 1) {
      const attempts = Array.from({ length: 6 }, (_, index) => ({
        value: expectedVersion * 100 + index,
        container: containers[index % 2]!,
      }));
      const results = await Promise.all(
        attempts.map(({ value, container }) =>
          call(putEvent('priceCacheSeconds', { value, expectedVersion }), container),
        ),
      );

      const statuses = results.map((result) => result.response.statusCode).sort();
      expect(statuses).toEqual([200, 409, 409, 409, 409, 409]);
      const winner = results.find((result) => result.response.statusCode === 200)!;
      expect(winner.body).toMatchObject({ version: expectedVersion + 1 });
      const stored = await stores.configVersions('priceCacheSeconds');
      expect(stored.map((version) => version.version)).toEqual(
        Array.from({ length: expectedVersion + 1 }, (_, index) => index + 1),
      );
      expect(stored.at(-1)).toMatchObject({ value: winner.body.value, requestId: winner.requestId });
      expect(results.every((result) => result.audit.length === 1)).toBe(true);
      expect(results.map((result) => result.audit[0]!.status).sort()).toEqual([
        'REJECTED',
        'REJECTED',
        'REJECTED',
        'REJECTED',
        'REJECTED',
        'SUCCESS',
      ]);
    }
  });

  it.each([
    ['maintenanceMode', 'true', [{ field: 'value', issue: 'must be true or false' }]],
    ['maintenanceMode', null, [{ field: 'value', issue: 'must be true or false' }]],
    ['supportedCurrencies', [], [{ field: 'value', issue: 'must list at least one currency' }]],
    [
      'supportedCurrencies',
      ['USD', 'usd', 'XXY'],
      [
        { field: 'value.1', issue: 'must be an ISO 4217 code' },
        { field: 'value.2', issue: 'must be an ISO 4217 code' },
      ],
    ],
    [
      'supportedCurrencies',
      ['USD', 'EUR', 'USD'],
      [{ field: 'value', issue: 'must not list a currency twice' }],
    ],
    ['supportedCurrencies', 'USD', [{ field: 'value', issue: 'must be a list of ISO 4217 codes' }]],
    ['priceCacheSeconds', 3601, [{ field: 'value', issue: 'must be from 0 to 3600' }]],
    ['priceCacheSeconds', -1, [{ field: 'value', issue: 'must be from 0 to 3600' }]],
    ['priceCacheSeconds', 1.5, [{ field: 'value', issue: 'must be a whole number of seconds' }]],
    ['priceCacheSeconds', '30', [{ field: 'value', issue: 'must be a whole number of seconds' }]],
  ])(
    'when %s is set to %j, returns 400 VALIDATION_ERROR naming the field and writes nothing',
    async (key, value, details) => {
      const { response, body, audit } = await call(putEvent(key, { value, expectedVersion: 1 }));

      expect(response.statusCode).toBe(400);
      expect(errorOf(body)).toMatchObject({ code: 'VALIDATION_ERROR', details });
      expect((await stores.configVersions(key)).length).toBe(1);
      expect(audit[0]).toMatchObject({
        action: 'CONFIG_UPDATE',
        status: 'REJECTED',
        configKey: key,
        rejectedFields: details.map((detail) => detail.field),
      });
    },
  );

  it('accepts the boundary values of each key', async () => {
    const accepted = await Promise.all([
      call(putEvent('priceCacheSeconds', { value: 0, expectedVersion: 1 })),
      call(putEvent('supportedCurrencies', { value: ['CHF'], expectedVersion: 1 })),
    ]);
    expect(accepted.map((result) => result.response.statusCode)).toEqual([200, 200]);
    const last = await call(putEvent('priceCacheSeconds', { value: 3600, expectedVersion: 2 }));
    expect(last.response.statusCode).toBe(200);
  });

  it.each([
    [
      'an unknown field',
      { value: true, expectedVersion: 1, force: true },
      [{ field: 'body', issue: 'unknown field: force' }],
    ],
    [
      'an unprintable unknown field',
      { value: true, expectedVersion: 1, '<img src=x>': 1 },
      [{ field: 'body', issue: 'unknown field' }],
    ],
    ['no expectedVersion', { value: true }, [{ field: 'expectedVersion', issue: 'is required' }]],
    ['no value', { expectedVersion: 1 }, [{ field: 'value', issue: 'is required' }]],
    [
      'a negative expectedVersion',
      { value: true, expectedVersion: -1 },
      [{ field: 'expectedVersion', issue: 'must be 0 or more' }],
    ],
    [
      'a string expectedVersion',
      { value: true, expectedVersion: '1' },
      [{ field: 'expectedVersion', issue: 'must be a whole number' }],
    ],
    ['an array', [true, 1], [{ field: 'body', issue: expect.stringContaining('expected object') }]],
    ['text that is not JSON', "{'value': true, <script>", [{ field: 'body', issue: 'must be valid JSON' }]],
    ['an empty body', '', [{ field: 'body', issue: 'is required' }]],
  ])('when the body has %s, returns 400 naming the field without echoing input', async (_, body, details) => {
    const { response, body: reply, audit } = await call(putEvent('maintenanceMode', body));

    expect(response.statusCode).toBe(400);
    expect(errorOf(reply)).toMatchObject({ code: 'VALIDATION_ERROR', details });
    expect(response.body).not.toMatch(/<script>|<img/);
    expect(audit[0]).toMatchObject({ action: 'CONFIG_UPDATE', status: 'REJECTED', userId: USER });
    expect((await stores.configVersions('maintenanceMode')).length).toBe(1);
  });

  it('when the body is over 16 KiB, returns 413 PAYLOAD_TOO_LARGE without parsing it', async () => {
    const huge = JSON.stringify({ value: ['USD'], expectedVersion: 1, padding: 'x'.repeat(16 * 1024) });

    const { response, body } = await call(putEvent('supportedCurrencies', huge));

    expect(response.statusCode).toBe(413);
    expect(errorOf(body)).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      message: 'The request body is too large.',
      details: [{ field: 'body', issue: 'must be at most 16384 bytes' }],
    });
    expect(response.body.length).toBeLessThan(600);
  });

  it.each([['text/plain'], ['application/x-www-form-urlencoded'], ['application/json; charset=latin1']])(
    'when the content type is %p, returns 415 naming content-type',
    async (contentType) => {
      const { response, body } = await call(
        putEvent(
          'maintenanceMode',
          { value: true, expectedVersion: 1 },
          { headers: { 'Content-Type': contentType } },
        ),
      );

      expect(response.statusCode).toBe(415);
      expect(errorOf(body)).toMatchObject({
        code: 'UNSUPPORTED_MEDIA_TYPE',
        message: 'The request body must be sent as application/json.',
        details: [{ field: 'content-type', issue: 'must be application/json' }],
      });
    },
  );

  it('when the content type is missing, returns 415 naming content-type', async () => {
    const event = putEvent('maintenanceMode', { value: true, expectedVersion: 1 });
    delete event.headers['Content-Type'];
    delete event.multiValueHeaders['Content-Type'];

    const { response, body } = await call(event);

    expect(response.statusCode).toBe(415);
    expect(errorOf(body).details).toEqual([{ field: 'content-type', issue: 'must be application/json' }]);
  });

  it("when userId names someone else (the admin-impersonation attack), returns 403 and stores nothing in that admin's name", async () => {
    const impersonated = await call(
      putEvent('maintenanceMode', { value: true, expectedVersion: 1 }, { query: { userId: OTHER_USER } }),
    );
    const hostile = await call(
      putEvent(
        'maintenanceMode',
        { value: true, expectedVersion: 1 },
        { query: { userId: "admin' OR 1=1" } },
      ),
    );

    for (const { response, body, audit } of [impersonated, hostile]) {
      expect(response.statusCode).toBe(403);
      expect(errorOf(body).code).toBe('IDENTITY_MISMATCH');
      expect(audit[0]).toMatchObject({
        pk: `USER#${USER}`,
        action: 'CONFIG_UPDATE',
        status: 'REJECTED',
        configKey: 'maintenanceMode',
        errorCode: 'IDENTITY_MISMATCH',
      });
    }
    expect(hostile.response.body).not.toContain('OR 1=1');
    expect(JSON.stringify(hostile.audit[0])).not.toContain('OR 1=1');
    expect((await stores.configVersions('maintenanceMode')).length).toBe(1);
  });

  it('when the event has no authorizer context, returns 401 UNAUTHENTICATED, audited under USER#UNIDENTIFIED, and writes nothing', async () => {
    const { response, body, audit } = await call(
      putEvent('maintenanceMode', { value: true, expectedVersion: 1 }, { caller: null }),
    );

    expect(response.statusCode).toBe(401);
    expect(errorOf(body).code).toBe('UNAUTHENTICATED');
    expect(audit[0]).toMatchObject({ pk: 'USER#UNIDENTIFIED', action: 'CONFIG_UPDATE', status: 'REJECTED' });
    expect((await stores.configVersions('maintenanceMode')).length).toBe(1);
  });

  it('reports every problem of a request in one response', async () => {
    const { response, body } = await call(
      putEvent(
        'priceCacheSeconds',
        { value: 7200, expectedVersion: 1, force: true },
        { query: { verbose: '1' } },
      ),
    );

    expect(response.statusCode).toBe(400);
    expect(errorOf(body).details).toEqual([
      { field: 'query', issue: 'unknown parameter: verbose' },
      { field: 'value', issue: 'must be from 0 to 3600' },
      { field: 'body', issue: 'unknown field: force' },
    ]);
  });

  it('when the key is not in the registry, returns 404 CONFIG_NOT_FOUND before looking at the body, and audits it', async () => {
    const { response, body, audit } = await call(putEvent('darkLaunch', { value: true, expectedVersion: 0 }));

    expect(response.statusCode).toBe(404);
    expect(errorOf(body).code).toBe('CONFIG_NOT_FOUND');
    expect(audit[0]).toMatchObject({
      action: 'CONFIG_UPDATE',
      status: 'NOT_FOUND',
      configKey: 'darkLaunch',
      userId: USER,
    });
  });

  it('when a registry key has no version yet, expectedVersion 0 creates version 1', async () => {
    await stores.documentClient().send(
      new DeleteCommand({
        TableName: TEST_CONFIG_TABLE,
        Key: { pk: 'CONFIG#priceCacheSeconds', sk: configVersionSortKey(1) },
      }),
    );

    const stale = await call(putEvent('priceCacheSeconds', { value: 90, expectedVersion: 1 }));
    const created = await call(putEvent('priceCacheSeconds', { value: 90, expectedVersion: 0 }));

    expect(stale.response.statusCode).toBe(409);
    expect(created.response.statusCode).toBe(200);
    expect(created.body).toMatchObject({ version: 1, value: 90, updatedBy: USER });
  });
});

describe('routing', () => {
  it('when the method is not served on the route, returns 405 with Allow and audits an attempted update', async () => {
    const { response, body, audit } = await call(
      putEvent('maintenanceMode', { value: true, expectedVersion: 1 }, { method: 'DELETE' }),
    );

    expect(response.statusCode).toBe(405);
    expect(response.headers).toMatchObject({ allow: 'GET, PUT' });
    expect(errorOf(body)).toMatchObject({
      code: 'METHOD_NOT_ALLOWED',
      message: 'Method not allowed; use GET or PUT.',
    });
    expect(audit[0]).toMatchObject({ action: 'CONFIG_UPDATE', status: 'REJECTED' });
    expect((await stores.configVersions('maintenanceMode')).length).toBe(1);
  });

  it('when the event is for a route the function does not serve, returns 404 ROUTE_NOT_FOUND', async () => {
    const { response, body, audit } = await call(apiEvent({ path: '/price', query: null }));

    expect(response.statusCode).toBe(404);
    expect(errorOf(body).code).toBe('ROUTE_NOT_FOUND');
    expect(audit[0]).toMatchObject({ action: 'CONFIG_READ', status: 'REJECTED' });
  });
});

describe('in-container cache', () => {
  it('serves a key from the cache for the TTL, so a write by another container is not seen yet', async () => {
    const cached = await loadHandler(HANDLER, stores.configServiceEnv({ CONFIG_CACHE_SECONDS: '300' }));
    const other = await loadHandler(HANDLER, stores.configServiceEnv({ CONFIG_CACHE_SECONDS: '300' }));
    expect((await call(getEvent('maintenanceMode'), cached)).body).toMatchObject({ version: 1 });

    const elsewhere = await call(putEvent('maintenanceMode', { value: true, expectedVersion: 1 }), other);
    const stale = await call(getEvent('maintenanceMode'), cached);
    const listed = await call(listEvent(), cached);

    expect(elsewhere.response.statusCode).toBe(200);
    expect(stale.body).toMatchObject({ version: 1, value: false });
    expect(
      (listed.body.items as { key: string; version: number }[]).find(
        (item) => item.key === 'maintenanceMode',
      ),
    ).toMatchObject({ version: 1 });
    // Reads served from the cache are audited like any other.
    expect(stale.audit[0]).toMatchObject({
      action: 'CONFIG_READ',
      status: 'SUCCESS',
      outcome: { version: 1 },
    });
  });

  it('a PUT served by the container invalidates its cached entry, and so does a 409', async () => {
    const cached = await loadHandler(HANDLER, stores.configServiceEnv({ CONFIG_CACHE_SECONDS: '300' }));
    const other = await loadHandler(HANDLER, stores.configServiceEnv({ CONFIG_CACHE_SECONDS: '300' }));
    await call(getEvent('priceCacheSeconds'), cached);
    await call(putEvent('priceCacheSeconds', { value: 5, expectedVersion: 1 }), other);

    const conflict = await call(putEvent('priceCacheSeconds', { value: 6, expectedVersion: 1 }), cached);
    const afterConflict = await call(getEvent('priceCacheSeconds'), cached);
    const written = await call(putEvent('priceCacheSeconds', { value: 7, expectedVersion: 2 }), cached);
    const afterWrite = await call(getEvent('priceCacheSeconds'), cached);

    expect(conflict.response.statusCode).toBe(409);
    expect(afterConflict.body).toMatchObject({ version: 2, value: 5 });
    expect(written.response.statusCode).toBe(200);
    expect(afterWrite.body).toMatchObject({ version: 3, value: 7 });
  });

  it('with CONFIG_CACHE_SECONDS=0, every read sees writes from other containers at once', async () => {
    const other = await loadHandler(HANDLER, stores.configServiceEnv());
    await call(getEvent('maintenanceMode'));

    await call(putEvent('maintenanceMode', { value: true, expectedVersion: 1 }), other);
    const { body } = await call(getEvent('maintenanceMode'));

    expect(body).toMatchObject({ version: 2, value: true });
  });
});

describe('failure paths', () => {
  it('when the latest stored value does not fit the registry, returns 500 INTERNAL_ERROR for it, and history still lists it', async () => {
    await stores.documentClient().send(
      new PutCommand({
        TableName: TEST_CONFIG_TABLE,
        Item: {
          pk: 'CONFIG#maintenanceMode',
          sk: configVersionSortKey(2),
          key: 'maintenanceMode',
          value: 'yes',
          version: 2,
          updatedAt: new Date().toISOString(),
          updatedBy: USER,
          requestId: 'hand-written',
        },
      }),
    );

    const { response, body, audit } = await call(getEvent('maintenanceMode'));

    expect(response.statusCode).toBe(500);
    expect(errorOf(body)).toMatchObject({ code: 'INTERNAL_ERROR', message: 'An internal error occurred.' });
    expect(response.body).not.toMatch(/yes|maintenanceMode|Corrupt/);
    expect(audit[0]).toMatchObject({
      status: 'ERROR',
      errorCode: 'INTERNAL_ERROR',
      configKey: 'maintenanceMode',
    });
    // History is the record of what was stored, so it still lists the version as written.
    const history = await call(historyEvent('maintenanceMode'));
    expect(history.response.statusCode).toBe(200);
    expect((history.body.items as { value: unknown }[]).map((item) => item.value)).toEqual(['yes', false]);
  });

  it('when the config table is unavailable, returns 503 CONFIG_UNAVAILABLE without internals and audits ERROR', async () => {
    const broken = await loadHandler(HANDLER, stores.configServiceEnv({ CONFIG_TABLE: 'no-such-table' }));

    const read = await call(getEvent('maintenanceMode'), broken);
    const write = await call(putEvent('maintenanceMode', { value: true, expectedVersion: 1 }), broken);

    for (const { response, body, audit } of [read, write]) {
      expect(response.statusCode).toBe(503);
      expect(errorOf(body)).toMatchObject({ code: 'CONFIG_UNAVAILABLE' });
      expect(response.body).not.toMatch(/no-such-table|ResourceNotFound|stack/i);
      expect(audit[0]).toMatchObject({ status: 'ERROR', errorCode: 'CONFIG_UNAVAILABLE', httpStatus: 503 });
    }
  });

  it('when the audit table is unavailable, a read returns 503 AUDIT_UNAVAILABLE and no configuration (fail closed)', async () => {
    const unaudited = await loadHandler(HANDLER, stores.configServiceEnv({ AUDIT_TABLE: 'no-such-audit' }));

    const { response, body } = await invoke(unaudited, getEvent('supportedCurrencies'));

    expect(response.statusCode).toBe(503);
    expect(errorOf(body).code).toBe('AUDIT_UNAVAILABLE');
    expect(response.body).not.toContain('USD');
  });

  it('when the audit table cannot be written, a PUT returns 503 AUDIT_UNAVAILABLE and stores no version (one fact, not two)', async () => {
    const unaudited = await loadHandler(HANDLER, stores.configServiceEnv({ AUDIT_TABLE: 'no-such-audit' }));

    const { response, body } = await invoke(
      unaudited,
      putEvent('maintenanceMode', { value: true, expectedVersion: 1 }),
    );

    expect(response.statusCode).toBe(503);
    expect(errorOf(body).code).toBe('AUDIT_UNAVAILABLE');
    expect((await stores.configVersions('maintenanceMode')).map((item) => item.version)).toEqual([1]);
  });

  it('when DynamoDB refuses the audit writes (the role may not write the audit table), a PUT stores no version and returns 503 AUDIT_UNAVAILABLE', async () => {
    stores.faults.addRule({
      match: (request) => request.body.includes(TEST_AUDIT_TABLE) && request.operation !== 'DescribeTable',
      fault: { kind: 'refuse' },
    });

    const { response, body } = await invoke(
      handler,
      putEvent('maintenanceMode', { value: true, expectedVersion: 1 }),
    );

    expect(response.statusCode).toBe(503);
    expect(errorOf(body).code).toBe('AUDIT_UNAVAILABLE');
    expect(Object.keys(body)).toEqual(['error']);
    expect(stores.faults.operations()).toContain('TransactWriteItems');
    expect((await stores.configVersions('maintenanceMode')).map((item) => item.version)).toEqual([1]);
    expect(await stores.auditItems()).toEqual([]);
  });

  it.each(['drop', '500'] as const)(
    'when the acknowledgement of a stored PUT is lost (%s) and the SDK retries, returns 200 with the version: one version, one SUCCESS audit item',
    async (how) => {
      stores.faults.addRule({
        match: (request) => request.operation === 'TransactWriteItems',
        fault: { kind: 'lose-ack', how },
        times: 1,
      });

      const { response, body, audit, requestId } = await call(
        putEvent('maintenanceMode', { value: true, expectedVersion: 1 }),
      );

      expect(response.statusCode).toBe(200);
      expect(body).toMatchObject({ key: 'maintenanceMode', value: true, version: 2 });
      expect(stores.faults.faulted()).toBe(1);
      expect(
        stores.faults.operations().filter((operation) => operation === 'TransactWriteItems'),
      ).toHaveLength(2);
      const versions = await stores.configVersions('maintenanceMode');
      expect(versions.map((item) => [item.version, item.requestId])).toEqual([
        [1, expect.any(String)],
        [2, requestId],
      ]);
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ action: 'CONFIG_UPDATE', status: 'SUCCESS', httpStatus: 200 });
      expect(audit[0]!.outcome).toEqual({ expectedVersion: 1, version: 2 });
    },
  );

  it('when both attempts’ acknowledgements are lost (the stored transaction, then the retry its condition refused), one consistent read of the version settles it: 200, one version, one SUCCESS audit item', async () => {
    stores.faults.addRule({
      match: (request) => request.operation === 'TransactWriteItems',
      fault: { kind: 'lose-ack', how: 'drop' },
      times: 2,
    });

    const { response, body, audit, requestId } = await call(
      putEvent('maintenanceMode', { value: true, expectedVersion: 1 }),
    );

    expect(response.statusCode).toBe(200);
    expect(body).toMatchObject({ key: 'maintenanceMode', value: true, version: 2 });
    expect(stores.faults.faulted()).toBe(2);
    expect(stores.faults.operations()).toContain('GetItem');
    const versions = await stores.configVersions('maintenanceMode');
    expect(versions.map((item) => [item.version, item.requestId])).toEqual([
      [1, expect.any(String)],
      [2, requestId],
    ]);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'CONFIG_UPDATE', status: 'SUCCESS', httpStatus: 200 });
  });

  it('when the settling read fails too, the answer is 503, and the trail still holds one item for the request: the SUCCESS item its transaction stored', async () => {
    // The failure item is written under the request's one audit key, meets the stored SUCCESS item's
    // condition, and is not a second item. The caller, told 503, reads the key back and sees version 2.
    stores.faults.addRule({
      match: (request) => request.operation === 'TransactWriteItems',
      fault: { kind: 'lose-ack', how: 'drop' },
      times: 2,
    });
    stores.faults.addRule({
      match: (request) => request.operation === 'GetItem',
      fault: { kind: 'refuse' },
      times: 1,
    });

    const { response, body, audit, requestId } = await call(
      putEvent('maintenanceMode', { value: true, expectedVersion: 1 }),
    );

    expect(response.statusCode).toBe(503);
    expect(errorOf(body).code).toBe('CONFIG_UNAVAILABLE');
    expect(stores.faults.operations().filter((operation) => operation === 'PutItem')).toHaveLength(1);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ status: 'SUCCESS', outcome: { expectedVersion: 1, version: 2 } });
    expect(
      (await stores.configVersions('maintenanceMode')).map((item) => [item.version, item.requestId]),
    ).toEqual([
      [1, expect.any(String)],
      [2, requestId],
    ]);
  });

  it('when DynamoDB is down, returns 503 and recovers without a restart once it is back', async () => {
    await stores.stopDynamo();
    try {
      const { response } = await invoke(handler, getEvent('maintenanceMode'));
      expect(response.statusCode).toBe(503);
    } finally {
      await stores.startDynamo();
    }
    const { response, audit } = await call(getEvent('maintenanceMode'));
    expect(response.statusCode).toBe(200);
    expect(audit).toHaveLength(1);
  });
});

describe('health check (direct invoke)', () => {
  it('when both tables answer, returns 200 naming each check, and writes only the HEALTH_CHECK item under SYSTEM#DEPLOY', async () => {
    const response = (await handler({ health_check: true }, lambdaContext())) as APIGatewayProxyResult;

    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toEqual({
      status: 'ok',
      checks: { configTable: 'ok', auditTable: 'ok', auditWrite: 'ok' },
      version: '1.2.3-test',
    });
    expect(await stores.auditItems()).toEqual([
      expect.objectContaining({ pk: 'SYSTEM#DEPLOY', action: 'HEALTH_CHECK', status: 'SUCCESS' }),
    ]);
  });

  it('when the config table is missing, returns 503 naming the failed check', async () => {
    const broken = await loadHandler(HANDLER, stores.configServiceEnv({ CONFIG_TABLE: 'no-such-table' }));

    const response = (await broken({ health_check: true }, lambdaContext())) as APIGatewayProxyResult;

    expect(response.statusCode).toBe(503);
    expect(JSON.parse(response.body)).toEqual({
      status: 'error',
      checks: { configTable: 'error', auditTable: 'ok', auditWrite: 'ok' },
      version: '1.2.3-test',
    });
  });
});
