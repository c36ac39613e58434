import type { APIGatewayProxyResult } from 'aws-lambda';
import { ErrorBodySchema } from '#common/models/error.ts';
import { AuditItemSchema } from '#common/models/audit.ts';
import { apiEvent, lambdaContext } from '#testing/api-gateway.ts';
import type { LambdaHandler } from '#testing/load-handler.ts';
import { loadHandler } from '#testing/load-handler.ts';
import { TestStores } from '#testing/test-stores.ts';
import { recordingProxy } from '#testing/recording-proxy.ts';
import { invokeChecked } from '#testing/invoke-checked.ts';

const HANDLER = '#functions/price-fetcher/src/handler.ts';
const USER = '3f8a2c1e-5b7d-4e9f-a1c2-7d6e5f4a3b2c';
const OTHER_USER = '11111111-2222-4333-8444-555555555555';

let stores: TestStores;
let handler: LambdaHandler;

beforeAll(async () => {
  stores = await TestStores.start();
  handler = await loadHandler(HANDLER, stores.priceFetcherEnv());
});
afterAll(async () => {
  await stores.close();
});

/** Invokes the real Middy handler; every answer must match openapi.json. */
const respond = (
  event = apiEvent({ query: { id: 'PROD-101', userId: USER } }),
  fn: LambdaHandler = handler,
) => invokeChecked(fn, event);

/** Invokes the real Middy handler and returns the response with the audit items it wrote. */
const call = async (event?: ReturnType<typeof apiEvent>, fn?: LambdaHandler) => {
  const result = await respond(event, fn);
  return { ...result, audit: await stores.auditItemFor(result.requestId) };
};

const errorOf = (body: unknown) => ErrorBodySchema.parse(body).error;

describe('GET /price through the real handler (node:sqlite + DynamoDB Local)', () => {
  it('when the product exists, returns 200 with the price and audits SUCCESS', async () => {
    const { response, body, audit, requestId } = await call();

    expect(response.statusCode).toBe(200);
    expect(body).toEqual({ productId: 'PROD-101', price: 99.99, currency: 'USD' });
    expect(response.headers).toMatchObject({
      'content-type': 'application/json',
      'x-request-id': requestId,
      'x-correlation-id': 'local-price-event-0001',
      'X-Content-Type-Options': 'nosniff',
      'Strict-Transport-Security': expect.stringContaining('max-age='),
    });
    expect(audit).toHaveLength(1);
    const item = AuditItemSchema.parse(audit[0]);
    expect(item).toMatchObject({
      pk: `USER#${USER}`,
      action: 'PRICE_READ',
      status: 'SUCCESS',
      productId: 'PROD-101',
      resource: 'PRODUCT#PROD-101',
      userId: USER,
      requestId,
      correlationId: 'local-price-event-0001',
      httpStatus: 200,
      stage: 'local',
    });
    expect(item.sk).toBe(`AUDIT#${item.timestamp}#${requestId}`);
    const retentionSeconds = item.expiresAt - Math.floor(Date.parse(item.timestamp) / 1000);
    expect(retentionSeconds).toBe(7 * 86_400);
  });

  it.each([
    ['PROD-CHEAP', 0.1, 'USD'],
    ['PROD-FREE', 0, 'USD'],
    ['PROD-BIG', 1234567.89, 'USD'],
    ['PROD-103', 1500, 'JPY'],
    ['PROD-102', 24.5, 'EUR'],
  ])('reads %s exactly as seeded (%p %s), with no float surprises', async (id, price, currency) => {
    const { response, body } = await call(apiEvent({ query: { id, userId: USER } }));
    expect(response.statusCode).toBe(200);
    expect(body).toEqual({ productId: id, price, currency });
    expect(response.body).toContain(`"price":${price}`);
  });

  it('when the product is unknown, returns 404 PRICE_NOT_FOUND and audits NOT_FOUND', async () => {
    const { response, body, audit, requestId } = await call(
      apiEvent({ query: { id: 'PROD-999', userId: USER } }),
    );

    expect(response.statusCode).toBe(404);
    expect(errorOf(body)).toMatchObject({ code: 'PRICE_NOT_FOUND', requestId });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      status: 'NOT_FOUND',
      productId: 'PROD-999',
      errorCode: 'PRICE_NOT_FOUND',
      httpStatus: 404,
    });
  });

  it('when the deprecated userId is not the token subject, returns 403 IDENTITY_MISMATCH and audits it under the subject', async () => {
    for (const userId of ['bob@example.com', OTHER_USER]) {
      const { response, body, audit } = await call(apiEvent({ query: { id: 'PROD-101', userId } }));

      expect(response.statusCode).toBe(403);
      const error = errorOf(body);
      expect(error.code).toBe('IDENTITY_MISMATCH');
      expect(response.body).not.toContain(userId);
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({
        pk: `USER#${USER}`,
        status: 'REJECTED',
        errorCode: 'IDENTITY_MISMATCH',
        httpStatus: 403,
        productId: 'PROD-101',
      });
      expect(JSON.stringify(audit[0])).not.toContain(userId);
    }
  });

  it('when userId is omitted or repeats the subject (any case), serves the token subject', async () => {
    const queries: Record<string, string>[] = [
      { id: 'PROD-101' },
      { id: 'PROD-101', userId: USER.toUpperCase() },
    ];
    for (const query of queries) {
      const { response, audit } = await call(apiEvent({ query }));
      expect(response.statusCode).toBe(200);
      expect(audit[0]).toMatchObject({ pk: `USER#${USER}`, userId: USER, status: 'SUCCESS' });
    }
  });

  it('when the event has no authorizer context, returns 401 UNAUTHENTICATED and audits REJECTED under USER#UNIDENTIFIED', async () => {
    const { response, body, audit } = await call(
      apiEvent({ query: { id: 'PROD-101', userId: USER }, caller: null }),
    );

    expect(response.statusCode).toBe(401);
    expect(response.headers?.['www-authenticate']).toBe('Bearer');
    expect(errorOf(body).code).toBe('UNAUTHENTICATED');
    expect(body).not.toHaveProperty('productId');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ pk: 'USER#UNIDENTIFIED', status: 'REJECTED', httpStatus: 401 });
    expect(audit[0]).not.toHaveProperty('userId');
  });

  it('records the API Gateway request id, source IP and a truncated user agent beside the Lambda request id', async () => {
    const event = apiEvent({ query: { id: 'PROD-101' } });
    event.requestContext.identity.userAgent = `agent/${'x'.repeat(1000)}`;
    const { audit, requestId } = await call(event);

    expect(audit[0]).toMatchObject({
      requestId,
      apiRequestId: event.requestContext.requestId,
      sourceIp: '127.0.0.1',
    });
    expect(audit[0]!.userAgent).toHaveLength(256);
    expect(audit[0]!.apiRequestId).not.toBe(requestId);
  });

  it('when the product id is hostile, returns 400 and never echoes it', async () => {
    const hostile = `' OR 1=1 --<script>${'x'.repeat(5000)}`;
    const { response, body, audit } = await call(apiEvent({ query: { id: hostile, userId: USER } }));

    expect(response.statusCode).toBe(400);
    expect(errorOf(body).details).toEqual([
      { field: 'id', issue: expect.stringContaining('letters, digits') },
    ]);
    expect(response.body).not.toContain('OR 1=1');
    expect(response.body.length).toBeLessThan(600);
    expect(audit[0]).toMatchObject({ status: 'REJECTED', userId: USER, rejectedFields: ['id'] });
    expect(audit[0]).not.toHaveProperty('productId');
    expect(JSON.stringify(audit[0])).not.toContain('OR 1=1');
  });

  it('when parameters are missing, returns 400 naming each one', async () => {
    const { response, body, audit } = await call(apiEvent({ query: null }));

    expect(response.statusCode).toBe(400);
    expect(errorOf(body).details).toEqual([{ field: 'id', issue: 'is required' }]);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ status: 'REJECTED', userId: USER, rejectedFields: ['id'] });
  });

  it('when a parameter is repeated, returns 400 even if each value is valid', async () => {
    const { response, body, audit } = await call(
      apiEvent({ query: { id: ['PROD-101', 'PROD-102'], userId: USER } }),
    );

    expect(response.statusCode).toBe(400);
    expect(errorOf(body).details).toEqual([{ field: 'id', issue: 'must be given exactly once' }]);
    expect(audit[0]).toMatchObject({ status: 'REJECTED', userId: USER });
    expect(audit[0]).not.toHaveProperty('productId');
  });

  it('when an unknown parameter is present, returns 400 and names it only if printable', async () => {
    const named = await call(apiEvent({ query: { id: 'PROD-101', userId: USER, debug: 'true' } }));
    expect(named.response.statusCode).toBe(400);
    expect(errorOf(named.body).details).toEqual([{ field: 'query', issue: 'unknown parameter: debug' }]);

    const hostile = await call(apiEvent({ query: { id: 'PROD-101', userId: USER, '<img src=x>': '1' } }));
    expect(hostile.response.statusCode).toBe(400);
    expect(errorOf(hostile.body).details).toEqual([{ field: 'query', issue: 'unknown parameter' }]);
    expect(hostile.response.body).not.toContain('<img');
    expect(hostile.audit[0]).toMatchObject({ status: 'REJECTED', rejectedFields: ['query'] });
  });

  it('when the method is not GET, returns 405 with Allow: GET and audits REJECTED', async () => {
    const { response, body, audit } = await call(
      apiEvent({ method: 'DELETE', query: { id: 'PROD-101', userId: USER } }),
    );
    expect(response.statusCode).toBe(405);
    expect(response.headers).toMatchObject({ allow: 'GET' });
    expect(errorOf(body).code).toBe('METHOD_NOT_ALLOWED');
    expect(audit[0]).toMatchObject({ status: 'REJECTED' });
  });

  it('adds CORS headers for the configured origin only', async () => {
    const allowed = await call(
      apiEvent({ query: { id: 'PROD-101', userId: USER }, headers: { Origin: 'https://app.example.com' } }),
    );
    expect(allowed.response.headers?.['Access-Control-Allow-Origin']).toBe('https://app.example.com');

    const other = await call(
      apiEvent({ query: { id: 'PROD-101', userId: USER }, headers: { Origin: 'https://evil.example' } }),
    );
    expect(other.response.headers?.['Access-Control-Allow-Origin']).toBeUndefined();
  });

  it('ignores a malformed correlation id and uses the request id instead', async () => {
    const { response, audit, requestId } = await call(
      apiEvent({
        query: { id: 'PROD-101', userId: USER },
        headers: { 'X-Correlation-Id': 'bad id with spaces' },
      }),
    );
    expect(response.headers?.['x-correlation-id']).toBe(requestId);
    expect(audit[0]?.correlationId).toBe(requestId);
  });

  it('writes one distinct item per lookup, even for identical lookups in the same millisecond', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, () => call()));
    const keys = new Set(results.map((result) => `${result.audit[0]?.pk}|${result.audit[0]?.sk}`));
    expect(results.every((result) => result.response.statusCode === 200 && result.audit.length === 1)).toBe(
      true,
    );
    expect(keys.size).toBe(10);
  });

  it('indexes lookups by product, so "who looked at PROD-104" is one Query', async () => {
    await call(apiEvent({ query: { id: 'PROD-104', userId: USER } }));
    await call(apiEvent({ query: { id: 'PROD-104' }, caller: { userId: OTHER_USER } }));
    const items = await stores.auditByResource('PRODUCT#PROD-104');
    expect(items.map((item) => item.userId).sort()).toEqual([OTHER_USER, USER]);
  });
});

describe('failure paths', () => {
  it('when the SQL source cannot be opened, returns 503 SOURCE_UNAVAILABLE without internals and audits ERROR', async () => {
    const broken = await loadHandler(
      HANDLER,
      stores.priceFetcherEnv({ SQLITE_PATH: `${stores.dir}/missing/price.db` }),
    );
    const { response, body, audit, requestId } = await call(undefined, broken);

    expect(response.statusCode).toBe(503);
    expect(errorOf(body)).toEqual({ code: 'SOURCE_UNAVAILABLE', message: expect.any(String), requestId });
    expect(response.body).not.toMatch(/sqlite|missing|price\.db|stack/i);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ status: 'ERROR', errorCode: 'SOURCE_UNAVAILABLE', httpStatus: 503 });
  });

  it('when a stored row is corrupt, returns 500 INTERNAL_ERROR with a generic message and audits ERROR', async () => {
    const { seedCorruptRow } = await import('#testing/corrupt-row.ts');
    const path = seedCorruptRow(stores.dir);
    const corrupt = await loadHandler(HANDLER, stores.priceFetcherEnv({ SQLITE_PATH: path }));
    const { response, body, audit } = await call(
      apiEvent({ query: { id: 'PROD-BAD', userId: USER } }),
      corrupt,
    );

    expect(response.statusCode).toBe(500);
    expect(errorOf(body)).toMatchObject({ code: 'INTERNAL_ERROR', message: 'An internal error occurred.' });
    expect(response.body).not.toMatch(/product_prices|SELECT|decimals|Error:/);
    expect(audit[0]).toMatchObject({ status: 'ERROR', errorCode: 'INTERNAL_ERROR', productId: 'PROD-BAD' });
  });

  it('when the audit table is unreachable, returns 503 AUDIT_UNAVAILABLE and no price (fail closed)', async () => {
    await stores.stopDynamo();
    try {
      const { response, body } = await respond();
      expect(response.statusCode).toBe(503);
      expect(errorOf(body).code).toBe('AUDIT_UNAVAILABLE');
      expect(response.body).not.toContain('99.99');
    } finally {
      await stores.startDynamo();
    }
    // The same container recovers once the table is back, with no restart.
    const { response, audit } = await call();
    expect(response.statusCode).toBe(200);
    expect(audit).toHaveLength(1);
  });

  it('when the audit write fails on an error path, the 503 AUDIT_UNAVAILABLE replaces the original error', async () => {
    await stores.stopDynamo();
    try {
      const { response, body } = await respond(apiEvent({ query: { id: 'PROD-999', userId: USER } }));
      expect(response.statusCode).toBe(503);
      expect(errorOf(body).code).toBe('AUDIT_UNAVAILABLE');
    } finally {
      await stores.startDynamo();
    }
  });
});

describe('health check (direct invoke)', () => {
  it('when both stores answer, returns 200 with each check and the version, and writes one HEALTH_CHECK item under SYSTEM#DEPLOY only', async () => {
    const before = await stores.auditItems();
    const response = (await handler({ health_check: true }, lambdaContext())) as APIGatewayProxyResult;

    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toEqual({
      status: 'ok',
      checks: { priceSource: 'ok', configTable: 'ok', auditTable: 'ok', auditWrite: 'ok' },
      version: '1.2.3-test',
    });
    const added = (await stores.auditItems()).filter(
      (i) => !before.some((b) => b.sk === i.sk && b.pk === i.pk),
    );
    expect(added).toEqual([
      expect.objectContaining({
        pk: 'SYSTEM#DEPLOY',
        sk: expect.stringMatching(/^AUDIT#\d{4}-\d\d-\d\dT[\d:.]+Z#/),
        action: 'HEALTH_CHECK',
        status: 'SUCCESS',
      }),
    ]);
    expect(added[0]).not.toHaveProperty('userId');
    expect(added[0]).not.toHaveProperty('productId');
    // The item is a valid audit item: the schema admits the deployment's system partition.
    expect(AuditItemSchema.parse(added[0]).pk).toBe('SYSTEM#DEPLOY');
  });

  it('when the role may not PutItem on the audit table, the health check fails (503 naming auditWrite)', async () => {
    const proxy = await recordingProxy(stores.endpoint, { deny: ['PutItem'] });
    try {
      const denied = await loadHandler(
        HANDLER,
        stores.priceFetcherEnv({ DYNAMODB_ENDPOINT: proxy.endpoint }),
      );
      const response = (await denied({ health_check: true }, lambdaContext())) as APIGatewayProxyResult;

      expect(response.statusCode).toBe(503);
      expect(JSON.parse(response.body)).toEqual({
        status: 'error',
        checks: { priceSource: 'ok', configTable: 'ok', auditTable: 'ok', auditWrite: 'error' },
        version: '1.2.3-test',
      });
      expect(proxy.operations()).toContain('PutItem');
    } finally {
      await proxy.close();
    }
  });

  it('when a store is down, returns 503 naming the failed check', async () => {
    const broken = await loadHandler(
      HANDLER,
      stores.priceFetcherEnv({ SQLITE_PATH: `${stores.dir}/nowhere.db` }),
    );
    const response = (await broken({ health_check: true }, lambdaContext())) as APIGatewayProxyResult;

    expect(response.statusCode).toBe(503);
    expect(JSON.parse(response.body)).toEqual({
      status: 'error',
      checks: { priceSource: 'error', configTable: 'ok', auditTable: 'ok', auditWrite: 'ok' },
      version: '1.2.3-test',
    });
  });
});
