import type { APIGatewayProxyResult } from 'aws-lambda';
import { apiEvent, lambdaContext } from '#testing/api-gateway.ts';
import type { LambdaHandler } from '#testing/load-handler.ts';
import { loadHandler } from '#testing/load-handler.ts';
import { silentListener } from '#testing/silent-listener.ts';
import { TestStores } from '#testing/test-stores.ts';
import { readTemplate } from '#build/template.ts';
import { templatePath } from '#build/paths.ts';
import { SAFETY_MARGIN_MS } from '#common/kernel/request-budget.ts';

const HANDLER = '#functions/price-fetcher/src/handler.ts';
const USER = '3f8a2c1e-5b7d-4e9f-a1c2-7d6e5f4a3b2c';
const TIMEOUTS = {
  DB_CONNECT_TIMEOUT_MS: 1000,
  DB_QUEUE_TIMEOUT_MS: 1000,
  DB_CALL_TIMEOUT_MS: 1000,
  DYNAMODB_TIMEOUT_MS: 1000,
};
/**
 * The configured bound on a request that cannot reach the source: connect + queue + call timeouts, plus two
 * DynamoDB attempts for the audit item. The function's timeout (the template's) must be well above it.
 */
const BOUND_MS =
  TIMEOUTS.DB_CONNECT_TIMEOUT_MS +
  TIMEOUTS.DB_QUEUE_TIMEOUT_MS +
  TIMEOUTS.DB_CALL_TIMEOUT_MS +
  2 * TIMEOUTS.DYNAMODB_TIMEOUT_MS;

/** The template's Oracle bounds: 3 s to connect (connect + queue), 2 s a call. */
const DEFAULT_TIMEOUTS = {
  DB_CONNECT_TIMEOUT_MS: 2000,
  DB_QUEUE_TIMEOUT_MS: 1000,
  DB_CALL_TIMEOUT_MS: 2000,
  DYNAMODB_TIMEOUT_MS: 1000,
};

let stores: TestStores;
let listener: Awaited<ReturnType<typeof silentListener>>;
let handler: LambdaHandler;
const measured: number[] = [];

/** A price-fetcher container whose Oracle is `port`, with these timeouts. */
const loadOracleHandler = (port: number, timeouts: Record<string, number>) =>
  loadHandler(
    HANDLER,
    stores.priceFetcherEnv({
      PRICE_DB: 'oracle',
      SQLITE_PATH: '',
      ORACLE_CONNECT_STRING: `127.0.0.1:${port}/XEPDB1`,
      ORACLE_USER: 'pricing',
      ORACLE_PASSWORD: 'pricing_local',
      ...Object.fromEntries(Object.entries(timeouts).map(([name, value]) => [name, String(value)])),
    }),
  );

beforeAll(async () => {
  stores = await TestStores.start();
  listener = await silentListener();
  handler = await loadOracleHandler(listener.port, TIMEOUTS);
});
afterAll(async () => {
  await listener.close();
  await stores.close();
  process.stderr.write(
    `faults-oracle-hang: measured ${measured.map((ms) => `${Math.round(ms)} ms`).join(', ')} (bound ${BOUND_MS} ms)\n`,
  );
});

const timedCall = async () => {
  const context = lambdaContext();
  const started = performance.now();
  const response = (await handler(
    apiEvent({ query: { id: 'PROD-101', userId: USER } }),
    context,
  )) as APIGatewayProxyResult;
  const elapsed = performance.now() - started;
  measured.push(elapsed);
  return { response, elapsed, requestId: context.awsRequestId };
};

describe('a hung Oracle (real node-oracledb thin driver against a listener that never answers)', () => {
  it('the configured bound is well under the Lambda timeout in the SAM template', () => {
    const fn = readTemplate(templatePath(process.cwd())).find(
      (candidate) => candidate.name === 'price-fetcher',
    )!;
    expect(BOUND_MS).toBeLessThan(fn.timeoutSeconds * 1000 * 0.6);
  });

  it('answers 503 SOURCE_UNAVAILABLE within the configured bound, audited as ERROR', async () => {
    const { response, elapsed, requestId } = await timedCall();

    expect(listener.accepted()).toBeGreaterThan(0);
    expect(response.statusCode).toBe(503);
    expect(JSON.parse(response.body)).toEqual({
      error: { code: 'SOURCE_UNAVAILABLE', message: expect.any(String), requestId },
    });
    expect(response.body).not.toMatch(/NJS-|ORA-|127\.0\.0\.1|XEPDB1/);
    // A correctness bound (the contract), not a speed target: the request ends before the function would time out.
    expect(elapsed).toBeLessThan(BOUND_MS);
    expect(await stores.auditItemFor(requestId)).toEqual([
      expect.objectContaining({
        status: 'ERROR',
        errorCode: 'SOURCE_UNAVAILABLE',
        httpStatus: 503,
        productId: 'PROD-101',
      }),
    ]);
  });

  it('concurrent requests queued behind hung connects are all bounded too (pool of 2, queue timeout)', async () => {
    const results = await Promise.all(Array.from({ length: 6 }, () => timedCall()));

    expect(results.map((result) => result.response.statusCode)).toEqual(Array(6).fill(503));
    for (const result of results) expect(result.elapsed).toBeLessThan(BOUND_MS);
  });

  it('when the hung listener goes away, the pool does not stay wedged: the next request fails fast and cleanly', async () => {
    await listener.close();

    const { response, requestId } = await timedCall();

    expect(response.statusCode).toBe(503);
    expect(JSON.parse(response.body).error.code).toBe('SOURCE_UNAVAILABLE');
    expect(await stores.auditItemFor(requestId)).toHaveLength(1);
  });
});

describe('a hung Oracle when the Lambda deadline is near (a later request in a slow container)', () => {
  let hung: Awaited<ReturnType<typeof silentListener>>;
  let shortOfTime: LambdaHandler;

  beforeAll(async () => {
    hung = await silentListener();
    shortOfTime = await loadOracleHandler(hung.port, DEFAULT_TIMEOUTS);
  });
  afterAll(() => hung.close());

  /** One invocation with the Lambda deadline `timeoutMs` away; what remained of it when the answer came. */
  const callWithDeadline = async (timeoutMs: number) => {
    const context = lambdaContext('price-fetcher-test', timeoutMs);
    const response = (await shortOfTime(
      apiEvent({ query: { id: 'PROD-101', userId: USER } }),
      context,
    )) as APIGatewayProxyResult;
    const remainingMs = context.getRemainingTimeInMillis();
    process.stderr.write(`faults-oracle-hang: ${remainingMs} ms of ${timeoutMs} ms left after the answer\n`);
    return { response, remainingMs, requestId: context.awsRequestId };
  };

  const expectAuditedSourceUnavailable = async (
    response: APIGatewayProxyResult,
    requestId: string,
  ): Promise<void> => {
    expect(response.statusCode).toBe(503);
    expect(JSON.parse(response.body)).toEqual({
      error: { code: 'SOURCE_UNAVAILABLE', message: expect.any(String), requestId },
    });
    expect(await stores.auditItemFor(requestId)).toEqual([
      expect.objectContaining({ status: 'ERROR', errorCode: 'SOURCE_UNAVAILABLE', httpStatus: 503 }),
    ]);
  };

  it("with the template's Oracle timeouts and 4 s left (0.55 s of work, less than the driver's own 1 s), answers 503 SOURCE_UNAVAILABLE, audited as ERROR, at least 1 s before the deadline", async () => {
    const { response, remainingMs, requestId } = await callWithDeadline(4000);

    expect(hung.accepted()).toBeGreaterThan(0);
    await expectAuditedSourceUnavailable(response, requestId);
    expect(remainingMs).toBeGreaterThanOrEqual(SAFETY_MARGIN_MS);
  });

  it('with less left than the audit reserve and the margin (1.8 s), does not wait on Oracle at all: 503 SOURCE_UNAVAILABLE, audited as ERROR, at least 1 s before the deadline', async () => {
    const acceptedBefore = hung.accepted();

    const { response, remainingMs, requestId } = await callWithDeadline(1800);

    await expectAuditedSourceUnavailable(response, requestId);
    expect(remainingMs).toBeGreaterThanOrEqual(SAFETY_MARGIN_MS);
    // No work budget: the pool is not asked for a connection, so no new session is opened.
    expect(hung.accepted()).toBe(acceptedBefore);
  });
});
