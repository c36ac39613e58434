import type { APIGatewayProxyResult } from 'aws-lambda';
import { apiEvent, lambdaContext } from '#testing/api-gateway.ts';
import type { ObservedResponse } from '#testing/audit-reconciliation.ts';
import { reconcileAudit } from '#testing/audit-reconciliation.ts';
import type { FakeOracleMode } from '#testing/fake-oracledb.ts';
import { FakeOracleDb } from '#testing/fake-oracledb.ts';
import type { LambdaHandler } from '#testing/load-handler.ts';
import { loadHandler } from '#testing/load-handler.ts';
import { TestStores } from '#testing/test-stores.ts';

// The handler's real OracleSqlClient, over a fake pool: the embedded engine has no pool to leak from.
let mockOracle: FakeOracleDb | undefined;
jest.mock('oracledb', () => {
  const actual = jest.requireActual<Record<string, unknown>>('oracledb');
  const fake = { ...actual, createPool: (attributes: never) => mockOracle!.createPool(attributes) };
  return { __esModule: true, ...fake, default: fake };
});

const HANDLER = '#functions/price-fetcher/src/handler.ts';
const USER = '3f8a2c1e-5b7d-4e9f-a1c2-7d6e5f4a3b2c';
const POOL_MAX = 2;

let stores: TestStores;
let oracle: FakeOracleDb;
let handler: LambdaHandler;

beforeAll(async () => {
  stores = await TestStores.start();
  oracle = new FakeOracleDb(stores.sqlitePath);
  mockOracle = oracle;
  handler = await loadHandler(HANDLER, env());
});
afterAll(async () => {
  oracle.close();
  await stores.close();
});

const env = () =>
  stores.priceFetcherEnv({
    PRICE_DB: 'oracle',
    SQLITE_PATH: '',
    ORACLE_CONNECT_STRING: 'oracle.invalid:1521/PRICING',
    ORACLE_USER: 'pricing',
    ORACLE_PASSWORD: 'not-a-real-password',
    DB_POOL_MAX: String(POOL_MAX),
    DB_CONNECT_TIMEOUT_MS: '200',
    DB_QUEUE_TIMEOUT_MS: '200',
    DB_CALL_TIMEOUT_MS: '200',
  });

const stats = () => {
  const pool = oracle.pools.at(-1);
  return { open: pool?.connectionsOpen ?? 0, inUse: pool?.connectionsInUse ?? 0 };
};

const call = async (id = 'PROD-101', fn: LambdaHandler = handler) => {
  const context = lambdaContext();
  const response = (await fn(apiEvent({ query: { id, userId: USER } }), context)) as APIGatewayProxyResult;
  return { requestId: context.awsRequestId, statusCode: response.statusCode, body: response.body };
};

/** `total` requests, `concurrency` in flight at a time (a busy container pool sharing one fake database). */
const burst = async (total: number, concurrency: number, id?: (index: number) => string) => {
  const results: Awaited<ReturnType<typeof call>>[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const index = next++;
        results.push(await call(id?.(index)));
      }
    }),
  );
  return results;
};

const codeOf = (body: string) => (JSON.parse(body) as { error?: { code: string } }).error?.code;

describe('Oracle pool under faults (real OracleSqlClient over a fake pool, real handler)', () => {
  it('when the pool cannot be created at first, answers 503 SOURCE_UNAVAILABLE, then serves prices without a restart', async () => {
    oracle.createPoolFailures = 3; // the init-time warm-up takes one or shares one with the first request
    const fresh = await loadHandler(HANDLER, env());

    const results: Awaited<ReturnType<typeof call>>[] = [];
    for (let attempt = 0; attempt < 4; attempt += 1) results.push(await call('PROD-101', fresh));

    const statuses = results.map((result) => result.statusCode);
    expect(statuses.at(-1)).toBe(200);
    expect(statuses.slice(0, 2)).toEqual([503, 503]);
    expect(statuses.join(',')).toMatch(/^(503,)+(200,?)+$/);
    for (const result of results.filter((result) => result.statusCode === 503)) {
      expect(codeOf(result.body)).toBe('SOURCE_UNAVAILABLE');
      expect(await stores.auditItemFor(result.requestId)).toEqual([
        expect.objectContaining({ status: 'ERROR', errorCode: 'SOURCE_UNAVAILABLE', httpStatus: 503 }),
      ]);
    }
  });

  it('when the database goes down and comes back, requests get 503 SOURCE_UNAVAILABLE, then recover in the same container', async () => {
    await burst(10, 4); // warm: the pool holds idle sessions, which the outage kills
    oracle.mode = 'down';
    const dropped = await burst(20, 4);

    oracle.mode = 'up';
    const recovered = await burst(20, 4);

    expect(dropped.map((result) => `${result.statusCode} ${codeOf(result.body)}`)).toEqual(
      Array(20).fill('503 SOURCE_UNAVAILABLE'),
    );
    expect(recovered.every((result) => result.statusCode === 200)).toBe(true);
    expect(stats().inUse).toBe(0);
  });

  it('after 1,000 failing requests of every kind, no connection is leaked: in-use is 0 and open is back to its resting value', async () => {
    await burst(20, 8);
    const resting = stats();
    const modes: FakeOracleMode[] = ['drop', 'broken-sql', 'down', 'drop', 'broken-sql'];
    const failures: Awaited<ReturnType<typeof call>>[] = [];

    for (const mode of modes) {
      oracle.mode = mode;
      failures.push(...(await burst(200, 8)));
    }
    const afterFailures = stats();
    oracle.mode = 'up';
    const recovered = await burst(20, 8);

    // At rest nothing is borrowed, and the pool keeps a few idle sessions (never more than poolMax).
    expect(resting.inUse).toBe(0);
    expect(resting.open).toBeGreaterThanOrEqual(1);
    expect(resting.open).toBeLessThanOrEqual(POOL_MAX);
    expect(failures).toHaveLength(1000);
    const byCode = failures.reduce<Record<string, number>>((counts, result) => {
      const key = `${result.statusCode} ${codeOf(result.body) ?? 'OK'}`;
      counts[key] = (counts[key] ?? 0) + 1;
      return counts;
    }, {});
    // ORA-03113 and refused connections are transient (503); a missing table is a defect (500). Nothing is served.
    expect(Object.keys(byCode).sort()).toEqual(['500 INTERNAL_ERROR', '503 SOURCE_UNAVAILABLE']);
    expect(afterFailures.inUse).toBe(0);
    expect(afterFailures.open).toBeLessThanOrEqual(POOL_MAX);
    expect(recovered.every((result) => result.statusCode === 200)).toBe(true);
    expect(stats().inUse).toBe(resting.inUse);
    expect(stats().open).toBeLessThanOrEqual(POOL_MAX);
    // Every one of the 1,000 failures is audited once, as ERROR with its status.
    const observed: ObservedResponse[] = failures.map(({ requestId, statusCode }) => ({
      requestId,
      statusCode,
    }));
    const ids = new Set(observed.map((response) => response.requestId));
    const items = (await stores.auditItems()).filter((item) => ids.has(item.requestId));
    expect(reconcileAudit(items, observed)).toMatchObject({ ok: true, found: 1000 });
  }, 120_000);
});
