import { join } from 'node:path';
import { ErrorBodySchema } from '#common/models/error.ts';
import type { ConfigKey } from '#common/models/config.ts';
import { apiEvent } from '#testing/api-gateway.ts';
import { captureOutput, logLines } from '#testing/capture-output.ts';
import { invokeChecked } from '#testing/invoke-checked.ts';
import type { LambdaHandler } from '#testing/load-handler.ts';
import { loadHandler } from '#testing/load-handler.ts';
import { TestStores } from '#testing/test-stores.ts';

const HANDLER = '#functions/price-fetcher/src/handler.ts';
const USER = '3f8a2c1e-5b7d-4e9f-a1c2-7d6e5f4a3b2c';
const ADMIN = '11111111-2222-4333-8444-555555555555';

let stores: TestStores;
/** Reads the switches on every request (CONFIG_CACHE_SECONDS=0), as test:api's local API does. */
let uncached: LambdaHandler;

beforeAll(async () => {
  stores = await TestStores.start();
  uncached = await loadHandler(HANDLER, stores.priceFetcherEnv({ CONFIG_CACHE_SECONDS: '0' }));
});
afterAll(() => stores.close());
afterEach(() => stores.reset());

const setSwitch = (key: ConfigKey, value: unknown) => stores.storeConfigVersion(key, value, ADMIN);

const getPrice = (fn: LambdaHandler, query: Record<string, string> = { id: 'PROD-101' }) =>
  invokeChecked(fn, apiEvent({ query: { ...query, userId: USER } }));

describe('price-fetcher obeys the switches config-service owns (maintenanceMode, priceCacheSeconds)', () => {
  it('with the seeded switches, serves the price with Cache-Control: private, max-age=<priceCacheSeconds>', async () => {
    const { response } = await getPrice(uncached);

    expect(response.statusCode).toBe(200);
    expect(response.headers?.['cache-control']).toBe('private, max-age=60');
    // A browser's cache must never answer one token with another token's price.
    expect(response.headers?.Vary).toBe('Authorization');
  });

  it('follows priceCacheSeconds, and 0 means no-store', async () => {
    await setSwitch('priceCacheSeconds', 300);
    expect((await getPrice(uncached)).response.headers?.['cache-control']).toBe('private, max-age=300');

    await setSwitch('priceCacheSeconds', 0);
    expect((await getPrice(uncached)).response.headers?.['cache-control']).toBe('no-store');
  });

  it('in maintenance, answers 503 MAINTENANCE with Retry-After and no price, audited REJECTED under the caller', async () => {
    await setSwitch('maintenanceMode', true);

    const { response, body, requestId } = await getPrice(uncached);

    expect(response.statusCode).toBe(503);
    expect(ErrorBodySchema.parse(body).error).toEqual({
      code: 'MAINTENANCE',
      message: 'Prices are unavailable during maintenance. Retry later.',
      requestId,
    });
    expect(response.headers).toMatchObject({ 'Retry-After': '1', 'cache-control': 'no-store' });
    expect(response.body).not.toMatch(/99\.99|USD/);
    expect(await stores.auditItemFor(requestId)).toMatchObject([
      { status: 'REJECTED', httpStatus: 503, errorCode: 'MAINTENANCE', userId: USER, productId: 'PROD-101' },
    ]);

    await setSwitch('maintenanceMode', false);
    expect((await getPrice(uncached)).response.statusCode).toBe(200);
  });

  it('in maintenance, does not read the price source at all (one that is gone answers MAINTENANCE, not SOURCE_UNAVAILABLE)', async () => {
    const sourceGone = await loadHandler(
      HANDLER,
      stores.priceFetcherEnv({
        CONFIG_CACHE_SECONDS: '0',
        SQLITE_PATH: join(stores.dir, 'missing', 'price.db'),
      }),
    );
    expect(ErrorBodySchema.parse((await getPrice(sourceGone)).body).error.code).toBe('SOURCE_UNAVAILABLE');

    await setSwitch('maintenanceMode', true);

    expect(ErrorBodySchema.parse((await getPrice(sourceGone)).body).error.code).toBe('MAINTENANCE');
  });

  it('in maintenance, still refuses a bad request with its own 400 first', async () => {
    await setSwitch('maintenanceMode', true);

    const { response, body } = await getPrice(uncached, { id: "PROD-101' OR 1=1" });

    expect(response.statusCode).toBe(400);
    expect(ErrorBodySchema.parse(body).error.code).toBe('VALIDATION_ERROR');
  });

  it('serves the switches from the container for CONFIG_CACHE_SECONDS, then reads them again', async () => {
    const cached = await loadHandler(HANDLER, stores.priceFetcherEnv({ CONFIG_CACHE_SECONDS: '1' }));
    expect((await getPrice(cached)).response.statusCode).toBe(200);

    await setSwitch('maintenanceMode', true);
    // Within the second: the value read at init still holds, with no Query sent.
    stores.faults.reset();
    expect((await getPrice(cached)).response.statusCode).toBe(200);
    expect(stores.faults.operations()).not.toContain('Query');

    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const { response } = await getPrice(cached);
    expect(response.statusCode).toBe(503);
    expect(response.headers?.['Retry-After']).toBe('1');
  });

  it('when the config table refuses the read, keeps serving on the last values read, and says so in the log', async () => {
    const logging = await loadHandler(
      HANDLER,
      stores.priceFetcherEnv({ CONFIG_CACHE_SECONDS: '0', LOG_LEVEL: 'INFO' }),
    );
    await setSwitch('priceCacheSeconds', 120);
    expect((await getPrice(logging)).response.headers?.['cache-control']).toBe('private, max-age=120');
    stores.faults.addRule({ match: (request) => request.operation === 'Query', fault: { kind: 'refuse' } });

    const { result, lines } = await captureOutput(() => getPrice(logging));

    expect(result.response.statusCode).toBe(200);
    expect(result.response.headers?.['cache-control']).toBe('private, max-age=120');
    expect(stores.faults.faulted()).toBeGreaterThan(0);
    expect(await stores.auditItemFor(result.requestId)).toMatchObject([{ status: 'SUCCESS' }]);
    expect(logLines(lines)).toContainEqual(
      expect.objectContaining({
        level: 'WARN',
        message: 'Configuration not readable; serving the last values read, or the initial ones',
        errorName: 'AccessDeniedException',
      }),
    );
  });

  it('when the config table has never been readable, serves on the registry’s initial values (no maintenance, 60 s)', async () => {
    const noTable = await loadHandler(
      HANDLER,
      stores.priceFetcherEnv({ CONFIG_CACHE_SECONDS: '0', CONFIG_TABLE: 'pricing-config-missing' }),
    );

    const { response, requestId } = await getPrice(noTable);

    expect(response.statusCode).toBe(200);
    expect(response.headers?.['cache-control']).toBe('private, max-age=60');
    expect(await stores.auditItemFor(requestId)).toMatchObject([{ status: 'SUCCESS' }]);
  });

  it('when the config table stops mid-answer, the read is cut at one attempt’s time and the price is still served', async () => {
    stores.faults.addRule({ match: (request) => request.operation === 'Query', fault: { kind: 'stall' } });
    const started = Date.now();

    const { response } = await getPrice(uncached);

    expect(response.statusCode).toBe(200);
    // DYNAMODB_TIMEOUT_MS is 1000 in the test environment; the source and the audit write follow.
    expect(Date.now() - started).toBeLessThan(2_500);
  });

  it('when the config table stops mid-answer during init, the first request does not wait on that read', async () => {
    // Both Queries of the init read stall (headers, one byte, then nothing): only the read's own bound ends them.
    stores.faults.addRule({
      match: (request) => request.operation === 'Query',
      fault: { kind: 'stall' },
      times: 2,
    });
    const fresh = await loadHandler(HANDLER, stores.priceFetcherEnv());
    expect(stores.faults.faulted()).toBe(2);
    const started = Date.now();

    const { response } = await getPrice(fresh);

    expect(response.statusCode).toBe(200);
    // The init read failed: the initial values serve (60 s, as seeded) until its retry, 5 s later.
    expect(response.headers?.['cache-control']).toBe('private, max-age=60');
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('for a web app on one of several allowed origins, varies a cached price by token and origin, and lets it read Retry-After', async () => {
    const twoOrigins = await loadHandler(
      HANDLER,
      stores.priceFetcherEnv({
        CONFIG_CACHE_SECONDS: '0',
        CORS_ORIGIN: 'https://app.example.com,https://admin.example.com',
      }),
    );
    const fromAdmin = () =>
      invokeChecked(
        twoOrigins,
        apiEvent({ query: { id: 'PROD-101' }, headers: { Origin: 'https://admin.example.com' } }),
      );

    const served = await fromAdmin();
    expect(served.response.headers).toMatchObject({
      'cache-control': 'private, max-age=60',
      Vary: 'Authorization, Origin',
      'Access-Control-Allow-Origin': 'https://admin.example.com',
    });

    await setSwitch('maintenanceMode', true);
    const refused = await fromAdmin();
    expect(refused.response.statusCode).toBe(503);
    expect(String(refused.response.headers?.['Access-Control-Expose-Headers']).split(',')).toContain(
      'retry-after',
    );
  });
});
