import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AuditQuerySchema } from '#tools/audit/model.ts';
import { queryAuditTrail } from '#tools/audit/query.ts';
import { PassThrough } from 'node:stream';
import { ErrorBodySchema } from '#common/models/error.ts';
import { testApiAuthorizer, testApiFunctions, withToken } from '#testing/api-functions.ts';
import type { LocalIssuer } from '#testing/identity.ts';
import { startLocalIssuer } from '#testing/identity.ts';
import { TEST_AUDIT_TABLE, TestStores } from '#testing/test-stores.ts';
import type { ApiServer } from '../api-server.ts';
import { startApiServer } from '../api-server.ts';
import { liteApiFunctions } from '../lite-env.ts';
import type { TemplateFunction } from '#build/template.ts';
import { httpRequest } from '#testing/http-client.ts';

const USER = '3f8a2c1e-5b7d-4e9f-a1c2-7d6e5f4a3b2c';
const APP_ORIGIN = 'https://app.example.com';

/** The fixture bundle testing/gateway-probe, declared the way the template declares functions. */
const probe = (): TemplateFunction => ({
  logicalId: 'GatewayProbeFunction',
  name: 'gateway-probe',
  functionName: 'gateway-probe-test',
  codeDir: join(process.cwd(), 'testing', 'gateway-probe'),
  handler: 'index.handler',
  runtime: 'nodejs22.x',
  timeoutSeconds: 1,
  memoryMb: 128,
  environment: {},
  routes: [
    { eventName: 'Echo', path: '/echo', method: 'GET' },
    { eventName: 'EchoPost', path: '/echo', method: 'POST' },
    { eventName: 'Item', path: '/items/{id}', method: 'GET' },
    { eventName: 'ItemHistory', path: '/items/{id}/history', method: 'GET' },
    { eventName: 'ItemsLatest', path: '/items/latest', method: 'GET' },
    { eventName: 'Files', path: '/files/{proxy+}', method: 'ANY' },
    { eventName: 'Crash', path: '/crash', method: 'GET' },
    { eventName: 'Slow', path: '/slow', method: 'GET' },
    { eventName: 'Malformed', path: '/malformed', method: 'GET' },
    { eventName: 'ExtraKey', path: '/extra-key', method: 'GET' },
    { eventName: 'Binary', path: '/binary', method: 'GET' },
  ],
});

let stores: TestStores;
/** The probe fixture and the template's functions, with no authorizer: the gateway mechanics. */
let server: ApiServer;
/** The template's functions behind the template's token authorizer, as `npm run start-api` serves them. */
let authServer: ApiServer;
let issuer: LocalIssuer;
let token: string;
const accessLog: string[] = [];
const functionLogs = new PassThrough();

beforeAll(async () => {
  stores = await TestStores.start();
  functionLogs.resume();
  const templateFunctions = testApiFunctions(stores, { corsOrigin: APP_ORIGIN });
  server = await startApiServer({
    root: process.cwd(),
    functions: [...templateFunctions, { fn: probe(), env: { CORS_ORIGIN: APP_ORIGIN } }],
    port: 0,
    build: false,
    functionLogs,
    log: (line) => accessLog.push(line),
  });
  issuer = await startLocalIssuer();
  token = await issuer.signToken({ sub: USER, roles: ['price-reader', 'config-admin'] });
  authServer = await startApiServer({
    root: process.cwd(),
    functions: testApiFunctions(stores, { corsOrigin: APP_ORIGIN }),
    authorizer: testApiAuthorizer(issuer),
    port: 0,
    build: false,
    functionLogs,
    log: (line) => accessLog.push(line),
  });
});
afterAll(async () => {
  await authServer?.close();
  await issuer?.stop();
  await server?.close();
  await stores?.close();
});

type EchoedEvent = {
  version: string;
  resource: string;
  path: string;
  httpMethod: string;
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
  queryStringParameters: Record<string, string> | null;
  multiValueQueryStringParameters: Record<string, string[]> | null;
  pathParameters: Record<string, string> | null;
  stageVariables: null;
  body: string | null;
  isBase64Encoded: boolean;
  requestContext: Record<string, unknown> & { requestId: string; identity: Record<string, unknown> };
};

const echo = async (path: string, options: Parameters<typeof httpRequest>[2] = {}) => {
  const response = await httpRequest(server.url, path, options);
  expect(response.status).toBe(200);
  return { response, event: response.json() as EchoedEvent };
};

describe('routes of infra-local/local-debug.yaml', () => {
  it('serves every Api route the template declares through its function (never a gateway 404/405)', async () => {
    const declared = liteApiFunctions(process.cwd()).flatMap(({ fn }) =>
      fn.routes.map((route) => ({ fn, route })),
    );
    expect(declared.length).toBeGreaterThan(0);
    const notServed: string[] = [];

    for (const { fn, route } of declared) {
      const path = route.path.replace(/\{[^}]+\}/g, 'sample');
      const method = route.method === 'ANY' ? 'GET' : route.method;
      const response = await httpRequest(server.url, path, { method });
      // Only a function sets x-request-id: a gateway 404/405/502 has none.
      if (typeof response.headers['x-request-id'] !== 'string' || response.status >= 500) {
        notServed.push(`${method} ${route.path} -> ${response.status} (${fn.name})`);
      }
    }

    expect(notServed).toEqual([]);
    expect(server.routes).toEqual(
      expect.arrayContaining(
        declared.map(({ fn, route }) => ({ method: route.method, path: route.path, functionName: fn.name })),
      ),
    );
  });

  it('GET /price returns the price from the embedded SQL source and audits the lookup', async () => {
    const response = await httpRequest(authServer.url, `/price?id=PROD-101&userId=${USER}`, withToken(token));

    expect(response.status).toBe(200);
    expect(response.json()).toEqual({ productId: 'PROD-101', price: 99.99, currency: 'USD' });
    expect(response.headers['content-type']).toBe('application/json');
    const requestId = response.headers['x-request-id'] as string;
    expect(await stores.auditItemFor(requestId)).toEqual([
      expect.objectContaining({ status: 'SUCCESS', productId: 'PROD-101', userId: USER }),
    ]);
  });

  it('a bad request reaches the function and gets its structured 400, audited as REJECTED', async () => {
    const response = await httpRequest(authServer.url, '/price?id=not%20a%20product', withToken(token));

    expect(response.status).toBe(400);
    const { error } = ErrorBodySchema.parse(response.json());
    expect(error).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: [{ field: 'id', issue: expect.any(String) }],
    });
    expect(await stores.auditItemFor(error.requestId)).toEqual([
      expect.objectContaining({ status: 'REJECTED' }),
    ]);
  });

  it.each(['__proto__', 'toString', 'constructor', 'hasOwnProperty'])(
    'a query parameter named %s reaches the function (no 502) and gets its structured 400, audited',
    async (name) => {
      const response = await httpRequest(
        authServer.url,
        `/price?id=PROD-101&userId=${USER}&${name}=1`,
        withToken(token),
      );

      expect(response.status).toBe(400);
      const { error } = ErrorBodySchema.parse(response.json());
      expect(error.code).toBe('VALIDATION_ERROR');
      expect(await stores.auditItemFor(error.requestId)).toEqual([
        expect.objectContaining({ status: 'REJECTED' }),
      ]);
    },
  );

  it('headers named constructor or __proto__ are plain data: the request is served by the function', async () => {
    const response = await httpRequest(
      authServer.url,
      `/price?id=PROD-101&userId=${USER}`,
      withToken(token, {
        headers: [
          ['Host', '127.0.0.1'],
          ['constructor', '1'],
          ['__proto__', '1'],
        ],
      }),
    );

    expect(response.status).toBe(200);
  });

  it('a repeated query parameter arrives in multiValueQueryStringParameters, so the function refuses it', async () => {
    const response = await httpRequest(
      authServer.url,
      `/price?id=PROD-101&id=PROD-102&userId=${USER}`,
      withToken(token),
    );

    expect(response.status).toBe(400);
    expect(ErrorBodySchema.parse(response.json()).error.details).toEqual([
      { field: 'id', issue: 'must be given exactly once' },
    ]);
  });
});

describe('API Gateway routing', () => {
  it('answers 404 {"message":"Not Found"} for a path no route declares, without invoking anything', async () => {
    const response = await httpRequest(server.url, '/prices?id=PROD-101');

    expect(response.status).toBe(404);
    expect(response.json()).toEqual({ message: 'Not Found' });
    expect(response.headers['x-amzn-requestid']).toEqual(expect.any(String));
    expect(response.headers['x-request-id']).toBeUndefined();
  });

  it('answers 405 with Allow for a declared path and another method', async () => {
    const response = await httpRequest(server.url, `/price?id=PROD-101&userId=${USER}`, { method: 'DELETE' });

    expect(response.status).toBe(405);
    expect(response.json()).toEqual({ message: 'Method Not Allowed' });
    expect(response.headers.allow).toBe('GET');
  });

  it('prefers a literal path over {param}, binds {param} and {proxy+} decoded, and ANY serves every method', async () => {
    const latest = await echo('/items/latest');
    const item = await echo('/items/a%20b');
    const history = await echo('/items/42/history');
    const files = await echo('/files/reports/2026/q1.csv', { method: 'PUT', body: 'x' });

    expect(latest.event).toMatchObject({ resource: '/items/latest', pathParameters: null });
    expect(item.event).toMatchObject({
      resource: '/items/{id}',
      path: '/items/a b',
      pathParameters: { id: 'a b' },
    });
    expect(history.event).toMatchObject({ resource: '/items/{id}/history', pathParameters: { id: '42' } });
    expect(files.event).toMatchObject({
      resource: '/files/{proxy+}',
      httpMethod: 'PUT',
      pathParameters: { proxy: 'reports/2026/q1.csv' },
    });
  });

  it('does not bind an empty or undecodable segment to a parameter', async () => {
    expect((await httpRequest(server.url, '/items/')).status).toBe(404);
    expect((await httpRequest(server.url, '/items/%zz')).status).toBe(404);
  });
});

describe('the proxy event', () => {
  it('has the shape sam local start-api produces: single and multi-value headers and query, requestContext', async () => {
    const { event, response } = await echo('/echo?tag=a&tag=b&empty=&plus=1+2', {
      headers: [
        ['X-Trace', 'one'],
        ['X-Trace', 'two'],
        ['User-Agent', 'api-server-test'],
        ['X-Forwarded-Port', '1'],
      ],
    });

    expect(event).toMatchObject({
      version: '1.0',
      resource: '/echo',
      path: '/echo',
      httpMethod: 'GET',
      queryStringParameters: { tag: 'b', empty: '', plus: '1 2' },
      multiValueQueryStringParameters: { tag: ['a', 'b'], empty: [''], plus: ['1 2'] },
      pathParameters: null,
      stageVariables: null,
      body: null,
      isBase64Encoded: false,
    });
    expect(event.headers).toMatchObject({
      'X-Trace': 'two',
      'User-Agent': 'api-server-test',
      'X-Forwarded-Proto': 'http',
      'X-Forwarded-Port': String(server.port),
    });
    expect(event.multiValueHeaders).toMatchObject({
      'X-Trace': ['one', 'two'],
      'X-Forwarded-Port': [String(server.port)],
    });
    expect(event.requestContext).toMatchObject({
      accountId: '123456789012',
      apiId: '1234567890',
      resourceId: '123456',
      resourcePath: '/echo',
      httpMethod: 'GET',
      stage: 'Prod',
      path: '/echo',
      protocol: 'HTTP/1.1',
      domainName: `127.0.0.1:${server.port}`,
      requestId: response.headers['x-amzn-requestid'],
      requestTimeEpoch: expect.any(Number),
      requestTime: expect.stringMatching(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/),
      identity: expect.objectContaining({ sourceIp: '127.0.0.1', userAgent: 'api-server-test' }),
    });
  });

  it('gives every request its own request id', async () => {
    const first = await echo('/echo');
    const second = await echo('/echo');

    expect(first.event.requestContext.requestId).not.toBe(second.event.requestContext.requestId);
  });

  it('passes a text body as is and a binary body base64-encoded', async () => {
    const text = await echo('/echo', {
      method: 'POST',
      body: '{"name":"café"}',
      headers: [['Content-Type', 'application/json']],
    });
    const bytes = Buffer.from([0xff, 0xfe, 0x00, 0x01]);
    const binary = await echo('/echo', { method: 'POST', body: bytes });

    expect(text.event).toMatchObject({ body: '{"name":"café"}', isBase64Encoded: false });
    expect(binary.event).toMatchObject({ body: bytes.toString('base64'), isBase64Encoded: true });
  });
});

describe('Lambda results', () => {
  it('sends multiValueHeaders and headers merged, and decodes a base64 body', async () => {
    const response = await httpRequest(server.url, '/binary');

    expect(response.status).toBe(201);
    expect(response.headers['content-type']).toBe('image/png');
    expect(response.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(response.rawHeaders.filter((name) => name === 'X-Single')).toHaveLength(1);
    expect(response.body).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]));
  });

  it.each([
    ['the function throws', '/crash'],
    ['the function times out', '/slow'],
    ['the body is not a string', '/malformed'],
    ['the result has a key API Gateway does not accept', '/extra-key'],
  ])('answers 502 {"message":"Internal server error"} when %s', async (_, path) => {
    const response = await httpRequest(server.url, path);

    expect(response.status).toBe(502);
    expect(response.json()).toEqual({ message: 'Internal server error' });
  });

  it('keeps serving after a timeout: the next invocation gets a fresh environment', async () => {
    await httpRequest(server.url, '/slow');

    const response = await httpRequest(server.url, '/echo');

    expect(response.status).toBe(200);
  });

  it('serves concurrent requests in parallel environments, each answered once', async () => {
    const responses = await Promise.all(
      Array.from({ length: 12 }, (_, index) =>
        httpRequest(authServer.url, `/price?id=PROD-10${(index % 4) + 1}&userId=${USER}`, withToken(token)),
      ),
    );

    expect(responses.map((response) => response.status)).toEqual(Array(12).fill(200));
    const requestIds = new Set(responses.map((response) => response.headers['x-request-id']));
    expect(requestIds.size).toBe(12);
  });
});

describe('CORS preflight', () => {
  const preflight = (origin: string, method = 'GET', path = '/price') =>
    httpRequest(server.url, path, {
      method: 'OPTIONS',
      headers: [
        ['Origin', origin],
        ['Access-Control-Request-Method', method],
        ['Access-Control-Request-Headers', 'x-correlation-id'],
      ],
    });

  it('answers 204 with the CORS headers for an origin in the function CORS_ORIGIN', async () => {
    const response = await preflight(APP_ORIGIN);

    expect(response.status).toBe(204);
    expect(response.headers).toMatchObject({
      'access-control-allow-origin': APP_ORIGIN,
      'access-control-allow-methods': 'GET,OPTIONS',
      'access-control-allow-headers': expect.stringContaining('X-Correlation-Id'),
      'access-control-max-age': '600',
      vary: 'Origin',
    });
    expect(response.headers['content-length']).toBeUndefined();
  });

  it('refuses an origin that is not allowed, and a method the path does not serve', async () => {
    const otherOrigin = await preflight('https://evil.example');
    const otherMethod = await preflight(APP_ORIGIN, 'DELETE');

    expect(otherOrigin.status).toBe(403);
    expect(otherOrigin.headers['access-control-allow-origin']).toBeUndefined();
    expect(otherMethod.status).toBe(403);
  });

  it('answers an OPTIONS that is not a preflight like any undeclared method', async () => {
    const response = await httpRequest(server.url, '/price', { method: 'OPTIONS' });

    expect(response.status).toBe(405);
  });

  it('the real response then carries Access-Control-Allow-Origin from the function', async () => {
    const response = await httpRequest(
      authServer.url,
      `/price?id=PROD-101&userId=${USER}`,
      withToken(token, { headers: [['Origin', APP_ORIGIN]] }),
    );

    expect(response.headers['access-control-allow-origin']).toBe(APP_ORIGIN);
  });
});

describe('access log', () => {
  it('writes one line per request with method, path, query names, status, time and function, but no values', async () => {
    accessLog.length = 0;

    await httpRequest(authServer.url, `/price?id=PROD-101&userId=${USER}`, withToken(token));
    await httpRequest(server.url, '/nowhere');

    expect(accessLog).toEqual([
      expect.stringMatching(/^GET \/price\?id&userId 200 \d+\.\dms price-fetcher$/),
      expect.stringMatching(/^GET \/nowhere 404 \d+\.\dms -$/),
    ]);
    expect(accessLog.join('\n')).not.toContain(USER);
    expect(accessLog.join('\n')).not.toContain('PROD-101');
  });
});

describe('the API document', () => {
  it('serves the committed openapi.json at GET /openapi.json with no token', async () => {
    const response = await httpRequest(server.url, '/openapi.json');

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.body.toString('utf8')).toBe(readFileSync(join(process.cwd(), 'openapi.json'), 'utf8'));
  });

  it('serves a readable page at /docs from swagger-ui-dist, with no inline script under its CSP', async () => {
    const page = await httpRequest(server.url, '/docs');
    const bundle = await httpRequest(server.url, '/docs/swagger-ui-bundle.js');

    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    const html = page.body.toString('utf8');
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.map(([, attributes]) => attributes!.trim())).toEqual([
      'src="/docs/swagger-ui-bundle.js"',
      'src="/docs/docs-init.js"',
    ]);
    expect(scripts.every(([, , inline]) => inline === '')).toBe(true);
    expect(bundle.status).toBe(200);
    expect(bundle.headers['content-type']).toBe('text/javascript');
    expect(bundle.body.length).toBeGreaterThan(100_000);
  });

  it('serves no other file under /docs, and only to GET', async () => {
    expect((await httpRequest(server.url, '/docs/package.json')).status).toBe(404);
    expect((await httpRequest(server.url, '/docs/../openapi.json')).status).toBe(404);
    expect((await httpRequest(server.url, '/openapi.json', { method: 'POST', body: '{}' })).status).toBe(404);
  });
});

describe('the token authorizer, run as API Gateway runs it', () => {
  const OTHER = '11111111-2222-4333-8444-555555555555';
  const deny = { message: 'User is not authorized to access this resource' };

  it('without an Authorization header answers 401 {"message":"Unauthorized"} and invokes no function', async () => {
    accessLog.length = 0;
    const response = await httpRequest(authServer.url, '/price?id=PROD-101');

    expect(response.status).toBe(401);
    expect(response.json()).toEqual({ message: 'Unauthorized' });
    expect(response.headers['x-request-id']).toBeUndefined();
  });

  it('ignores a token in the query string: only the header counts', async () => {
    const response = await httpRequest(
      authServer.url,
      `/price?id=PROD-101&access_token=${token}&token=${token}`,
    );

    expect(response.status).toBe(401);
  });

  it('answers 401 when the authorizer throws Unauthorized (an expired token)', async () => {
    const expired = await issuer.signToken({ sub: USER, roles: ['price-reader'], expiresIn: -300 });

    const response = await httpRequest(authServer.url, '/price?id=PROD-101', withToken(expired));

    expect(response.status).toBe(401);
    expect(response.json()).toEqual({ message: 'Unauthorized' });
  });

  it('answers 403 on a Deny, and re-checks the cached policy against each route: a reader cannot write config', async () => {
    const reader = await issuer.signToken({ sub: OTHER, roles: ['price-reader', 'config-reader'] });

    const read = await httpRequest(authServer.url, '/config/maintenanceMode', withToken(reader));
    const write = await httpRequest(
      authServer.url,
      '/config/maintenanceMode',
      withToken(reader, {
        method: 'PUT',
        headers: [['Content-Type', 'application/json']],
        body: JSON.stringify({ value: true, expectedVersion: 1 }),
      }),
    );
    const history = await httpRequest(authServer.url, '/config/maintenanceMode/history', withToken(reader));
    const price = await httpRequest(authServer.url, '/price?id=PROD-101', withToken(reader));

    expect([read.status, write.status, history.status, price.status]).toEqual([200, 403, 403, 200]);
    expect(write.json()).toEqual(deny);
    // The refused write reached no function: its only trace is the authorizer's log line.
    expect(await stores.auditItemFor(String(write.headers['x-request-id']))).toEqual([]);
  });

  it('passes requestContext.authorizer to the function: the audit item names the token subject, not the userId typed', async () => {
    const mine = await issuer.signToken({ sub: OTHER, roles: ['price-reader'] });
    const someone = randomUUID();
    const theirs = await issuer.signToken({ sub: someone, roles: ['price-reader'] });

    const served = await httpRequest(authServer.url, '/price?id=PROD-103', withToken(mine));
    const impersonating = await httpRequest(
      authServer.url,
      `/price?id=PROD-103&userId=${USER}`,
      withToken(mine),
    );

    expect(served.status).toBe(200);
    expect(impersonating.status).toBe(403);
    expect(ErrorBodySchema.parse(impersonating.json()).error.code).toBe('IDENTITY_MISMATCH');
    expect(await stores.auditItemFor(String(served.headers['x-request-id']))).toEqual([
      expect.objectContaining({ pk: `USER#${OTHER}`, userId: OTHER, status: 'SUCCESS' }),
    ]);
    expect(await stores.auditItemFor(String(impersonating.headers['x-request-id']))).toEqual([
      expect.objectContaining({ pk: `USER#${OTHER}`, status: 'REJECTED', errorCode: 'IDENTITY_MISMATCH' }),
    ]);

    // A user's trail (what npm run audit:query -- --user <sub> reads): served reads and refused attempts.
    await httpRequest(authServer.url, '/price?id=PROD-101', withToken(theirs));
    await httpRequest(authServer.url, `/price?id=PROD-102&userId=${USER}`, withToken(theirs));
    await httpRequest(authServer.url, '/price?id=PROD-999', withToken(theirs));
    const trail = [];
    for await (const page of queryAuditTrail(stores.documentClient(), {
      tableName: TEST_AUDIT_TABLE,
      query: AuditQuerySchema.parse({ by: 'user', userId: someone }),
    }))
      trail.push(...page.items);
    expect(trail.map((item) => [item.productId, item.status, item.errorCode, item.sourceIp])).toEqual([
      ['PROD-101', 'SUCCESS', undefined, '127.0.0.1'],
      ['PROD-102', 'REJECTED', 'IDENTITY_MISMATCH', '127.0.0.1'],
      ['PROD-999', 'NOT_FOUND', 'PRICE_NOT_FOUND', '127.0.0.1'],
    ]);
    expect(
      trail.every((item) => typeof item.apiRequestId === 'string' && item.apiRequestId !== item.requestId),
    ).toBe(true);
  });

  it('lets a page on an allowed origin read a refusal: the 401 carries its CORS header', async () => {
    const response = await httpRequest(authServer.url, '/price?id=PROD-101', {
      headers: [['Origin', APP_ORIGIN]],
    });
    const elsewhere = await httpRequest(authServer.url, '/price?id=PROD-101', {
      headers: [['Origin', 'https://evil.example']],
    });

    expect(response.status).toBe(401);
    expect(response.headers['access-control-allow-origin']).toBe(APP_ORIGIN);
    expect(elsewhere.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers a CORS preflight without a token', async () => {
    const response = await httpRequest(authServer.url, '/config/maintenanceMode', {
      method: 'OPTIONS',
      headers: [
        ['Origin', APP_ORIGIN],
        ['Access-Control-Request-Method', 'PUT'],
        ['Access-Control-Request-Headers', 'authorization,content-type'],
      ],
    });

    expect(response.status).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe(APP_ORIGIN);
  });
});

describe('a bounded request queue', () => {
  it('answers 503 {"message":"Service Unavailable"} with Retry-After when every environment is busy and the queue is full', async () => {
    const small = await startApiServer({
      root: process.cwd(),
      functions: [{ fn: probe(), env: {} }],
      port: 0,
      build: false,
      poolSize: 1,
      queueSize: 1,
      functionLogs: new PassThrough(),
      log: () => undefined,
    });
    try {
      // One request runs (the probe's /slow outlives its 1 s timeout), one waits, the third finds the queue full.
      const responses = await Promise.all([
        httpRequest(small.url, '/slow'),
        httpRequest(small.url, '/slow'),
        httpRequest(small.url, '/slow'),
      ]);

      const refused = responses.filter((response) => response.status === 503);
      expect(refused).toHaveLength(1);
      expect(refused[0]!.json()).toEqual({ message: 'Service Unavailable' });
      expect(refused[0]!.headers['retry-after']).toBe('1');
      expect(responses.filter((response) => response.status === 502)).toHaveLength(2);
    } finally {
      await small.close();
    }
  });
});
