import type { APIGatewayProxyResult } from 'aws-lambda';
import fc from 'fast-check';
import type * as z from 'zod/mini';
import { AuditAction } from '#common/constants/audit.ts';
import { MAX_CONFIG_VERSION } from '#common/constants/config.ts';
import { CORRELATION_ID_PATTERN, MAX_JSON_BODY_BYTES } from '#common/constants/http.ts';
import type { ConfigItem, ConfigKey } from '#common/models/config.ts';
import {
  CONFIG_KEYS,
  CONFIG_KEY_PATTERN,
  ConfigItemSchema,
  ConfigKeyFormatSchema,
  ConfigRegistry,
  isConfigKey,
} from '#common/models/config.ts';
import { ErrorBodySchema } from '#common/models/error.ts';
import { UserIdSchema } from '#common/models/price.ts';
import { RECORDED_USER, apiEvent, lambdaContext } from '#testing/api-gateway.ts';
import type { ObservedResponse } from '#testing/audit-reconciliation.ts';
import { reconcileAudit } from '#testing/audit-reconciliation.ts';
import {
  hostileHeaders,
  hostileJsonBody,
  hostileJsonValue,
  hostileMethod,
  hostileName,
  hostileQuery,
  hostileString,
} from '#testing/hostile-input.ts';
import { assertNoEcho, assertSafeResponse } from '#testing/hostile-invariants.ts';
import type { LambdaHandler } from '#testing/load-handler.ts';
import { loadHandler } from '#testing/load-handler.ts';
import { propertyParameters } from '#testing/property-runs.ts';
import { TestStores } from '#testing/test-stores.ts';
import type { HttpEvent } from '#common/types/lambda.ts';
import { SEED_REQUEST_ID } from '#testing/local-stack.ts';
import {
  PutQuerySchema,
  ReadQuerySchema,
  encodeHistoryCursor,
  historyQuerySchema,
  putConfigBodySchema,
} from '../src/dto.ts';
import { HANDLER } from '#testing/config-service-requests.ts';

/** Thousands by default; HOSTILE_RUNS raises it for a soak; the seed is printed, FC_SEED replays it. */
const PROPERTY = propertyParameters('config-service hostile input', 2000);
const RUNS = PROPERTY.numRuns;

// ---------------------------------------------------------------------------------------------------------
// What a generated request is. PUT bodies are kept structured until they are sent, so that "the version the
// caller read" can be resolved against the table as it is at that moment (it changes with every 200).
// ---------------------------------------------------------------------------------------------------------

type Query = Record<string, string | string[]> | null;
/** `relative`: the current version plus this (0 is a correct read, below is stale, above is ahead). */
type VersionSpec = { relative: number } | { literal: unknown };
interface DocumentBody {
  kind: 'document';
  value: unknown;
  expectedVersion: VersionSpec;
  omit: 'value' | 'expectedVersion' | undefined;
  extra: Record<string, unknown>;
}
type Body = DocumentBody | { kind: 'raw'; text: string } | null;

interface ConfigRequest {
  /** The route template API Gateway matched (a direct invoke can send any). */
  resource: string;
  /** The `{key}` path parameter; null when the event has no path parameters. */
  key: string | null;
  method: string;
  query: Query;
  headers: Record<string, string>;
  body: Body;
}

const CURRENCIES = ['USD', 'EUR', 'GBP', 'JPY', 'CHF', 'CAD', 'AUD', 'SEK', 'NOK', 'DKK', 'PLN', 'CZK'];

/** Values each key accepts. Typed on ConfigKey: a key added to the registry must be added here. */
const VALID_VALUE: Record<ConfigKey, fc.Arbitrary<unknown>> = {
  maintenanceMode: fc.boolean(),
  supportedCurrencies: fc.uniqueArray(fc.constantFrom(...CURRENCIES), { minLength: 1, maxLength: 8 }),
  priceCacheSeconds: fc.integer({ min: 0, max: 3600 }),
};
const anyValidValue = fc.oneof(...Object.values(VALID_VALUE));

/** Values of the wrong type or range for some key: hostile JSON of any shape and the near misses. */
const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: hostileJsonValue() },
  {
    weight: 3,
    arbitrary: fc.constantFrom<unknown>(
      'true',
      'false',
      0,
      1,
      -1,
      3601,
      1.5,
      2 ** 53,
      '60',
      [],
      ['usd'],
      ['USD', 'USD'],
      ['XXY'],
      'USD',
      {},
      { value: true },
      null,
    ),
  },
  // Over the 200-currency limit, with duplicates.
  { weight: 1, arbitrary: fc.array(fc.constantFrom(...CURRENCIES), { minLength: 201, maxLength: 260 }) },
);

const valueFor = (key: string | null): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 6, arbitrary: key !== null && isConfigKey(key) ? VALID_VALUE[key] : anyValidValue },
    { weight: 3, arbitrary: wrongValue },
    { weight: 1, arbitrary: anyValidValue },
  );

const versionSpec: fc.Arbitrary<VersionSpec> = fc.oneof(
  { weight: 10, arbitrary: fc.constant({ relative: 0 }) },
  { weight: 2, arbitrary: fc.integer({ min: -3, max: -1 }).map((relative) => ({ relative })) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 5 }).map((relative) => ({ relative })) },
  {
    weight: 2,
    arbitrary: fc
      .constantFrom<unknown>(
        '1',
        1.5,
        null,
        true,
        [1],
        {},
        -1,
        0,
        1e10,
        MAX_CONFIG_VERSION,
        MAX_CONFIG_VERSION - 1,
        '0x1',
      )
      .map((literal) => ({ literal })),
  },
  { weight: 1, arbitrary: hostileJsonValue().map((literal) => ({ literal })) },
);

const documentBody = (key: string | null): fc.Arbitrary<Body> =>
  fc.record({
    kind: fc.constant('document' as const),
    value: valueFor(key),
    expectedVersion: versionSpec,
    omit: fc.oneof(
      { weight: 10, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: fc.constantFrom('value' as const, 'expectedVersion' as const) },
    ),
    extra: fc.oneof(
      { weight: 6, arbitrary: fc.constant({}) },
      {
        weight: 1,
        arbitrary: fc.dictionary(
          hostileName(['__proto__', 'constructor', 'version', 'key', 'userId', 'force']),
          hostileJsonValue(),
          { minKeys: 1, maxKeys: 3 },
        ),
      },
    ),
  });

/** Bodies that never get as far as a value: not JSON, the wrong JSON, too big, or nothing at all. */
const rawBody: fc.Arbitrary<Body> = fc
  .oneof(
    { weight: 4, arbitrary: hostileJsonBody() },
    { weight: 2, arbitrary: hostileString() },
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: MAX_JSON_BODY_BYTES, max: 2 * MAX_JSON_BODY_BYTES })
        .map((size) => JSON.stringify({ value: true, expectedVersion: 1, padding: 'x'.repeat(size) })),
    },
    // Well-formed and of the right type, but over the size limit.
    {
      weight: 1,
      arbitrary: fc.constant(JSON.stringify({ value: Array(5000).fill('USD'), expectedVersion: 1 })),
    },
  )
  .map((text) => ({ kind: 'raw' as const, text }));

const anyBody = (key: string | null): fc.Arbitrary<Body> =>
  fc.oneof(
    { weight: 6, arbitrary: documentBody(key) },
    { weight: 3, arbitrary: rawBody },
    { weight: 1, arbitrary: fc.constant(null) },
  );

/** Path keys: registry keys, well-formed unknown ones (incl. Object.prototype names), malformed and absent. */
const keyArbitrary: fc.Arbitrary<string | null> = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom<string>(...CONFIG_KEYS) },
  {
    weight: 2,
    arbitrary: fc.oneof(
      fc.constantFrom(
        'darkLaunch',
        'constructor',
        'toString',
        'hasOwnProperty',
        'valueOf',
        'maintenanceMode2',
      ),
      fc.stringMatching(CONFIG_KEY_PATTERN),
    ),
  },
  {
    weight: 3,
    arbitrary: fc.oneof(
      hostileString(),
      fc.constantFrom(
        '__proto__',
        'Maintenance',
        'maintenance-mode',
        'maintenanceMode ',
        '../maintenanceMode',
        'maintenanceMode%00',
        'maintenanceMode/history',
        'x'.repeat(65),
      ),
    ),
  },
  { weight: 1, arbitrary: fc.constant(null) },
);

const userId = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(RECORDED_USER, RECORDED_USER.toUpperCase()) },
  { weight: 1, arbitrary: fc.uuid() },
);

/** Content types for a PUT: mostly JSON (with charset variants), sometimes wrong or missing. */
const contentType: fc.Arbitrary<string | undefined> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'Application/JSON;charset="UTF-8"',
    ),
  },
  {
    weight: 2,
    arbitrary: fc.oneof(
      hostileString(),
      fc.constantFrom(
        'text/plain',
        'application/x-www-form-urlencoded',
        'application/json; charset=latin1',
        'application/jsonp',
        'multipart/form-data; boundary=x',
      ),
    ),
  },
  { weight: 1, arbitrary: fc.constant(undefined) },
);

const putHeaders = fc.tuple(hostileHeaders(), contentType).map(([headers, type]) => {
  const rest = Object.fromEntries(
    Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'content-type'),
  );
  return type === undefined ? rest : { ...rest, 'Content-Type': type };
});

const readQuery: fc.Arbitrary<Query> = fc.oneof(
  { weight: 3, arbitrary: fc.constant(null) },
  { weight: 3, arbitrary: userId.map((id) => ({ userId: id })) },
  { weight: 4, arbitrary: hostileQuery({ userId }) },
);

const putQuery: fc.Arbitrary<Query> = fc.oneof(
  { weight: 6, arbitrary: userId.map((id) => ({ userId: id })) },
  { weight: 3, arbitrary: hostileQuery({ userId }) },
);

const historyQuery = (key: string | null): fc.Arbitrary<Query> => {
  const limit = fc.integer({ min: 1, max: 100 }).map(String);
  const cursor = fc
    .tuple(
      fc.oneof(
        {
          weight: 4,
          arbitrary: fc.constant(key !== null && CONFIG_KEY_PATTERN.test(key) ? key : 'maintenanceMode'),
        },
        { weight: 1, arbitrary: fc.constantFrom<string>(...CONFIG_KEYS) },
      ),
      fc.integer({ min: 1, max: 40 }),
    )
    .map(([cursorKey, before]) => encodeHistoryCursor({ key: cursorKey, before }));
  return fc.oneof(
    { weight: 4, arbitrary: fc.record({ userId, limit, cursor }, { requiredKeys: [] }) },
    { weight: 4, arbitrary: hostileQuery({ userId, limit, cursor }) },
  );
};

const putRequest = keyArbitrary.chain((key) =>
  fc.record({
    resource: fc.constant('/config/{key}'),
    key: fc.constant(key),
    // Mostly PUT, so that enough writes reach the version check; the GET and list routes try the others.
    method: fc.oneof(
      { weight: 3, arbitrary: fc.constant('PUT') },
      { weight: 1, arbitrary: hostileMethod('PUT') },
    ),
    query: putQuery,
    headers: putHeaders,
    body: anyBody(key),
  }),
);

const getRequest = keyArbitrary.chain((key) =>
  fc.record({
    resource: fc.constant('/config/{key}'),
    key: fc.constant(key),
    method: hostileMethod('GET'),
    query: readQuery,
    headers: hostileHeaders(),
    body: fc.option(rawBody, { nil: null, freq: 4 }),
  }),
);

const historyRequest = keyArbitrary.chain((key) =>
  fc.record({
    resource: fc.constant('/config/{key}/history'),
    key: fc.constant(key),
    method: hostileMethod('GET'),
    query: historyQuery(key),
    headers: hostileHeaders(),
    body: fc.option(rawBody, { nil: null, freq: 4 }),
  }),
);

const listRequest = fc.record({
  resource: fc.constant('/config'),
  key: fc.constant(null),
  method: hostileMethod('GET'),
  query: readQuery,
  headers: hostileHeaders(),
  body: fc.option(rawBody, { nil: null, freq: 4 }),
});

/** Events for routes the function does not serve (a direct invoke, or a template route without code). */
const unroutedRequest = fc.record({
  resource: fc.oneof(fc.constantFrom('/price', '/config/{key}/versions', '/', '/admin'), hostileString()),
  key: keyArbitrary,
  method: fc.constantFrom('GET', 'PUT', 'DELETE'),
  query: readQuery,
  headers: hostileHeaders(),
  body: fc.constant(null),
});

const requestArbitrary: fc.Arbitrary<ConfigRequest> = fc.oneof(
  { weight: 10, arbitrary: putRequest },
  { weight: 4, arbitrary: getRequest },
  { weight: 3, arbitrary: historyRequest },
  { weight: 2, arbitrary: listRequest },
  { weight: 1, arbitrary: unroutedRequest },
);

// ---------------------------------------------------------------------------------------------------------
// The contract, written from docs/config-service.md independently of the handler's code path.
// ---------------------------------------------------------------------------------------------------------

const ROUTES: Record<string, string[]> = {
  '/config': ['GET'],
  '/config/{key}': ['GET', 'PUT'],
  '/config/{key}/history': ['GET'],
};
const JSON_MEDIA_TYPE = /^application\/json\s*(?:;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

const valuesOf = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** Every parameter declared, none repeated, the values valid: what parseQuery accepts. */
const queryAccepted = (query: Query, schema: z.ZodMiniObject): boolean => {
  const allowed = Object.keys(schema.shape);
  const entries = Object.entries(query ?? {});
  if (entries.some(([name, value]) => !allowed.includes(name) || valuesOf(value).length > 1)) return false;
  return schema.safeParse(Object.fromEntries(entries.map(([name, value]) => [name, valuesOf(value).at(-1)])))
    .success;
};

const headerOf = (event: HttpEvent, name: string): string | undefined =>
  Object.entries(event.headers ?? {}).find(([header]) => header.toLowerCase() === name)?.[1] ?? undefined;

/** The body a PUT must have: JSON content type, 1 byte to 16 KiB, well-formed, exactly the key's fields. */
const acceptedBody = (event: HttpEvent, key: ConfigKey): { expectedVersion: number } | undefined => {
  const type = headerOf(event, 'content-type');
  if (type === undefined || !JSON_MEDIA_TYPE.test(type.trim())) return undefined;
  const text = event.body ?? '';
  const size = Buffer.byteLength(text, 'utf8');
  if (size === 0 || size > MAX_JSON_BODY_BYTES) return undefined;
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = putConfigBodySchema(key).safeParse(document);
  return parsed.success ? { expectedVersion: parsed.data.expectedVersion } : undefined;
};

interface Expected {
  status: number;
  code?: string;
}

const expectedOutcome = (event: HttpEvent, current: Map<ConfigKey, number>): Expected => {
  // The caller is the authorizer's (the recorded one): a userId naming anyone else is refused before routing.
  const userIds = event.multiValueQueryStringParameters?.userId ?? [];
  if (userIds.some((value) => value.toLowerCase() !== RECORDED_USER))
    return { status: 403, code: 'IDENTITY_MISMATCH' };
  const methods = Object.hasOwn(ROUTES, event.resource) ? ROUTES[event.resource]! : undefined;
  if (!methods) return { status: 404, code: 'ROUTE_NOT_FOUND' };
  if (!methods.includes(event.httpMethod)) return { status: 405, code: 'METHOD_NOT_ALLOWED' };
  const query = event.multiValueQueryStringParameters as Query;
  const invalid = { status: 400, code: 'VALIDATION_ERROR' };
  if (event.resource === '/config') return queryAccepted(query, ReadQuerySchema) ? { status: 200 } : invalid;
  const key = event.pathParameters?.key;
  if (!ConfigKeyFormatSchema.safeParse(key).success) return invalid;
  if (!isConfigKey(key!)) return { status: 404, code: 'CONFIG_NOT_FOUND' };
  if (event.resource === '/config/{key}/history') {
    return queryAccepted(query, historyQuerySchema(key)) ? { status: 200 } : invalid;
  }
  if (event.httpMethod === 'GET') return queryAccepted(query, ReadQuerySchema) ? { status: 200 } : invalid;
  // The body's media type and size are checked before anything else is collected: 415 and 413 win.
  const type = headerOf(event, 'content-type');
  if (type === undefined || !JSON_MEDIA_TYPE.test(type.trim())) {
    return { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' };
  }
  if (Buffer.byteLength(event.body ?? '', 'utf8') > MAX_JSON_BODY_BYTES) {
    return { status: 413, code: 'PAYLOAD_TOO_LARGE' };
  }
  const body = acceptedBody(event, key);
  if (!queryAccepted(query, PutQuerySchema) || !body) return invalid;
  return body.expectedVersion === current.get(key)
    ? { status: 200 }
    : { status: 409, code: 'VERSION_CONFLICT' };
};

/** The JSON text sent for a body, with the expected version resolved against the table as it is now. */
const bodyText = (body: Body, currentVersion: number): string | null => {
  if (body === null) return null;
  if (body.kind === 'raw') return body.text;
  const spec = body.expectedVersion;
  const own: [string, unknown][] = [];
  if (body.omit !== 'value') own.push(['value', body.value]);
  if (body.omit !== 'expectedVersion')
    own.push(['expectedVersion', 'relative' in spec ? currentVersion + spec.relative : spec.literal]);
  // fromEntries, not spread into a literal: a generated `__proto__` stays an own key, as JSON.parse makes it.
  return JSON.stringify(Object.fromEntries([...own, ...Object.entries(body.extra)]));
};

const pathOf = (request: ConfigRequest): string => {
  if (request.key === null) return request.resource;
  let encoded: string;
  try {
    encoded = encodeURIComponent(request.key);
  } catch {
    encoded = '%EF%BF%BD'; // a lone surrogate cannot be percent-encoded; API Gateway would replace it
  }
  return request.resource.replace('{key}', encoded);
};

const toEvent = (request: ConfigRequest, body: string | null): HttpEvent =>
  apiEvent({
    method: request.method,
    resource: request.resource,
    path: pathOf(request),
    pathParameters: request.key === null ? null : { key: request.key },
    query: request.query,
    headers: request.headers,
    body,
  });

// ---------------------------------------------------------------------------------------------------------
// What must never come back: everything the caller sent that the API does not validate and return by design.
// ---------------------------------------------------------------------------------------------------------

/** Names are repeated in error details only in this shape (common/utils/http-request.ts). */
const PRINTABLE_NAME = /^[A-Za-z0-9_.-]{1,32}$/;

/** String values and unprintable keys of a JSON document: what a PUT body could try to smuggle back. */
const smuggled = (value: unknown): string[] => {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(smuggled);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([name, inner]) => [
      ...(PRINTABLE_NAME.test(name) ? [] : [name]),
      ...smuggled(inner),
    ]);
  }
  return [];
};

const isIssuedCursor = (text: string): boolean => {
  try {
    const payload = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Record<string, unknown>;
    return encodeHistoryCursor({ key: String(payload.k), before: Number(payload.v) }) === text;
  } catch {
    return false;
  }
};

/** `sent`: the headers the caller chose (the recorded event's own, such as `Accept`, are not hostile). */
const hostileValues = (event: HttpEvent, sent: Record<string, string>, served: boolean): string[] => {
  const correlationId = headerOf(event, 'x-correlation-id');
  const accepted = new Set<string>();
  // Validated values are stored and returned by design: the well-formed key, the correlation id, user ids.
  if (correlationId !== undefined && CORRELATION_ID_PATTERN.test(correlationId)) accepted.add(correlationId);
  const key = event.pathParameters?.key;
  if (key !== undefined && ConfigKeyFormatSchema.safeParse(key).success) accepted.add(key);
  const queryValues = Object.values(event.multiValueQueryStringParameters ?? {})
    .flatMap((values) => values ?? [])
    .filter((value) => !isIssuedCursor(value));
  const headerValues = Object.entries(sent)
    .filter(([name, value]) => !(name.toLowerCase() === 'content-type' && JSON_MEDIA_TYPE.test(value)))
    .map(([, value]) => value);
  let bodyValues: string[] = [];
  // A served PUT returns its value by design; any other body must not come back in any form.
  if (!served && event.body) {
    bodyValues = [event.body];
    try {
      bodyValues.push(...smuggled(JSON.parse(event.body)));
    } catch {
      // not JSON: the raw text is all there is
    }
  }
  return [
    ...queryValues,
    ...headerValues,
    ...bodyValues,
    event.httpMethod,
    ...(key === undefined || accepted.has(key) ? [] : [key]),
  ].filter(
    // A value inside an accepted one comes back with it by design (a header "nstruc", the key "constructor").
    (value) => ![...accepted].some((ok) => ok.includes(value)) && !UserIdSchema.safeParse(value).success,
  );
};

// ---------------------------------------------------------------------------------------------------------

let stores: TestStores;
let handler: LambdaHandler;

beforeAll(async () => {
  stores = await TestStores.start();
  // The template's settings, cache included: reads after a write in the same container must be fresh.
  handler = await loadHandler(HANDLER, stores.configServiceEnv());
});
afterAll(async () => {
  await stores.close();
});

interface Observed extends ObservedResponse {
  method: string;
  wellFormedKey: string | undefined;
  hostile: string[];
}

describe('config-service under hostile input (fast-check, real handler, DynamoDB Local)', () => {
  it(`answers ${RUNS} generated requests safely, audits each exactly once, and stores exactly the versions it returned`, async () => {
    const current = new Map<ConfigKey, number>(CONFIG_KEYS.map((key) => [key, 1]));
    /** Every version a 200 returned, by key and version, with the request that wrote it. */
    const written = new Map<string, { item: ConfigItem; requestId: string }>();
    const latestValue = new Map<ConfigKey, unknown>(
      CONFIG_KEYS.map((key) => [key, ConfigRegistry[key].initial]),
    );
    const observed: Observed[] = [];
    const outcomes = new Map<string, number>();

    await fc.assert(
      fc.asyncProperty(requestArbitrary, async (request) => {
        const known = request.key !== null && isConfigKey(request.key) ? request.key : undefined;
        const event = toEvent(request, bodyText(request.body, known ? current.get(known)! : 1));
        const expected = expectedOutcome(event, current);
        const context = lambdaContext('config-service-test');

        const response = (await handler(event, context)) as APIGatewayProxyResult;

        const served = response.statusCode === 200;
        const hostile = hostileValues(event, request.headers, served);
        assertSafeResponse(response, {
          requestId: context.awsRequestId,
          mustNotEcho: hostile,
          echoableHeaders: ['x-correlation-id'],
        });
        const body = JSON.parse(response.body) as Record<string, unknown>;
        expect({
          status: response.statusCode,
          code: served ? undefined : ErrorBodySchema.parse(body).error.code,
        }).toEqual({
          status: expected.status,
          code: expected.code,
        });
        if (served && event.httpMethod === 'PUT') {
          // A write returns exactly the next version, and the value and author it was given.
          const item = ConfigItemSchema.parse(body);
          const sent = JSON.parse(event.body!) as { value: unknown; expectedVersion: number };
          expect(item).toMatchObject({
            key: known,
            value: sent.value,
            version: sent.expectedVersion + 1,
            updatedBy: RECORDED_USER,
          });
          current.set(item.key, item.version);
          latestValue.set(item.key, item.value);
          written.set(`${item.key}#${item.version}`, { item, requestId: context.awsRequestId });
        } else if (served && event.resource === '/config/{key}') {
          // Reads are never stale in the container that wrote: the cache entry went with the write.
          expect(ConfigItemSchema.parse(body)).toMatchObject({
            key: known,
            version: current.get(known!),
            value: latestValue.get(known!),
          });
        } else if (served && event.resource === '/config') {
          const items = (body.items as ConfigItem[]).map((item) => [item.key, item.version]);
          expect(items).toEqual(CONFIG_KEYS.map((key) => [key, current.get(key)]));
        } else if (served) {
          const versions = (body.items as ConfigItem[]).map((item) => item.version);
          expect(versions).toEqual([...versions].sort((a, b) => b - a));
          expect(Math.max(0, ...versions)).toBeLessThanOrEqual(current.get(known!)!);
        }
        const key = event.pathParameters?.key;
        observed.push({
          requestId: context.awsRequestId,
          statusCode: response.statusCode,
          // A route the function does not serve is a refused request, not a missing resource.
          ...(expected.code === 'ROUTE_NOT_FOUND' ? { auditStatus: 'REJECTED' as const } : {}),
          method: event.httpMethod,
          wellFormedKey: key !== undefined && ConfigKeyFormatSchema.safeParse(key).success ? key : undefined,
          hostile,
        });
        const outcome = `${event.httpMethod === 'PUT' ? 'PUT' : 'other'} ${response.statusCode}`;
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      }),
      PROPERTY,
    );

    // Exactly one audit item per request, with the status the caller saw, the action of its method, the key
    // only when it was well-formed, and no hostile value stored.
    const items = await stores.auditItems();
    expect(reconcileAudit(items, observed)).toMatchObject({
      missing: [],
      duplicated: [],
      mismatched: [],
      unexpected: [],
      ok: true,
    });
    const itemByRequest = new Map(items.map((item) => [item.requestId, item]));
    for (const { requestId, method, wellFormedKey, hostile } of observed) {
      const item = itemByRequest.get(requestId)!;
      expect([item.action, item.configKey]).toEqual([
        method === 'GET' ? AuditAction.ConfigRead : AuditAction.ConfigUpdate,
        wellFormedKey,
      ]);
      assertNoEcho(`audit item ${requestId}`, [JSON.stringify(item)], hostile);
    }

    // The config table holds the seed and exactly the versions returned as 200, each as that request wrote
    // it: none lost, none phantom (from a 400, 404, 405 or 409), none overwritten, no key outside the registry.
    const records = await stores.configRecords();
    const byId = new Map(
      records.map((record) => [`${String(record.key)}#${String(record.version)}`, record]),
    );
    expect(records).toHaveLength(CONFIG_KEYS.length + written.size);
    for (const key of CONFIG_KEYS) {
      expect(byId.get(`${key}#1`)).toMatchObject({
        requestId: SEED_REQUEST_ID,
        value: ConfigRegistry[key].initial,
      });
    }
    for (const [id, { item, requestId }] of written)
      expect(byId.get(id)).toEqual({ ...item, pk: `CONFIG#${item.key}`, sk: expect.any(String), requestId });

    // The generator reached every branch of the contract, writes included, not just validation.
    expect([...outcomes.keys()].sort()).toEqual(
      expect.arrayContaining([
        'PUT 200',
        'PUT 400',
        'PUT 404',
        'PUT 409',
        'other 200',
        'other 400',
        'other 404',
        'other 405',
      ]),
    );
    expect(outcomes.get('PUT 200')).toBeGreaterThanOrEqual(RUNS / 100);
  }, 300_000);
});
