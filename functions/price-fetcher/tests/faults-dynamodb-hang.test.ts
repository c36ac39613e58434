import type { APIGatewayProxyResult } from 'aws-lambda';
import { apiEvent, lambdaContext } from '#testing/api-gateway.ts';
import type { LambdaHandler } from '#testing/load-handler.ts';
import { loadHandler } from '#testing/load-handler.ts';
import { TestStores } from '#testing/test-stores.ts';
import { SAFETY_MARGIN_MS } from '#common/kernel/request-budget.ts';

const HANDLER = '#functions/price-fetcher/src/handler.ts';
const USER = '3f8a2c1e-5b7d-4e9f-a1c2-7d6e5f4a3b2c';

let stores: TestStores;
let handler: LambdaHandler;

beforeAll(async () => {
  stores = await TestStores.start();
  // The template's DynamoDB bound (1 s an attempt, two attempts): what a deployed function has.
  handler = await loadHandler(HANDLER, stores.priceFetcherEnv({ DYNAMODB_TIMEOUT_MS: '1000' }));
});
afterAll(() => stores.close());
afterEach(() => stores.startDynamo());

/** One invocation with the Lambda deadline `timeoutMs` away; what remained of it when the answer came. */
const callWithDeadline = async (timeoutMs: number) => {
  const context = lambdaContext('price-fetcher-test', timeoutMs);
  const response = (await handler(
    apiEvent({ query: { id: 'PROD-101', userId: USER } }),
    context,
  )) as APIGatewayProxyResult;
  return { response, remainingMs: context.getRemainingTimeInMillis(), requestId: context.awsRequestId };
};

describe('the audit store hangs (accepts connections, never answers) or is down', () => {
  it.each([
    ['hangs', 10_000],
    ['hangs', 4_000],
    ['hangs', 3_000],
    ['is down', 10_000],
  ] as const)(
    'when the audit store %s (deadline %i ms), answers 503 AUDIT_UNAVAILABLE with no price, at least 1 s before the deadline',
    async (fault, timeoutMs) => {
      await (fault === 'hangs' ? stores.hangDynamo() : stores.stopDynamo());

      const { response, remainingMs } = await callWithDeadline(timeoutMs);

      expect(response.statusCode).toBe(503);
      expect(JSON.parse(response.body)).toEqual({
        error: { code: 'AUDIT_UNAVAILABLE', message: expect.any(String), requestId: expect.any(String) },
      });
      expect(response.body).not.toMatch(/price|99\.99|USD/i);
      // Answered, with its audit attempt made, inside the budget: the safety margin of the deadline is left.
      expect(remainingMs).toBeGreaterThanOrEqual(SAFETY_MARGIN_MS);
      if (fault === 'hangs') expect(stores.faults.operations()).toContain('PutItem');
    },
  );

  it('when the audit store throttles with a 3 s retry-after hint, the retry’s wait is cut at the audit’s share: 503 AUDIT_UNAVAILABLE, nothing stored, at least 1 s before a 4 s deadline', async () => {
    // The client's timers bound each attempt, not the SDK's sleep before a retry: only the budget's abort
    // signal, which the SDK's retry races with that sleep, ends it. Without it the answer comes after 3 s, with less than 1 s left.
    stores.faults.reset();
    stores.faults.addRule({
      match: (request) => request.operation === 'PutItem',
      fault: { kind: 'throttle', retryAfterSeconds: 3 },
      times: 1,
    });

    const { response, remainingMs, requestId } = await callWithDeadline(4_000);

    expect(response.statusCode).toBe(503);
    expect(JSON.parse(response.body)).toMatchObject({ error: { code: 'AUDIT_UNAVAILABLE' } });
    expect(remainingMs).toBeGreaterThanOrEqual(SAFETY_MARGIN_MS);
    expect(stores.faults.faulted()).toBe(1);
    // Past the hint, when an unaborted retry would have gone out: it was never sent, so there is no item,
    // and no SUCCESS on record for an answer the caller never got.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(stores.faults.operations().filter((operation) => operation === 'PutItem')).toHaveLength(1);
    expect(await stores.auditItemFor(requestId)).toEqual([]);
  });

  it('when the audit store stops mid-answer (headers and one byte of the body, then nothing), the call is cut at the audit’s share: 503 AUDIT_UNAVAILABLE, at least 1 s before the deadline', async () => {
    // The client's request timeout ends when the headers arrive; the body is bounded by the budget's signal.
    stores.faults.reset();
    stores.faults.addRule({
      match: (request) => request.operation === 'PutItem',
      fault: { kind: 'stall' },
      times: 1,
    });

    const { response, remainingMs, requestId } = await callWithDeadline(10_000);

    expect(response.statusCode).toBe(503);
    expect(JSON.parse(response.body)).toMatchObject({ error: { code: 'AUDIT_UNAVAILABLE' } });
    expect(response.body).not.toMatch(/price|99\.99|USD/i);
    expect(remainingMs).toBeGreaterThanOrEqual(SAFETY_MARGIN_MS);
    expect(stores.faults.faulted()).toBe(1);
    // Nothing was forwarded, and the cut call was not tried again: nothing was stored.
    expect(await stores.auditItemFor(requestId)).toEqual([]);
  });

  it('serves again, audited, as soon as the store answers, with no restart', async () => {
    await stores.hangDynamo();
    expect((await callWithDeadline(10_000)).response.statusCode).toBe(503);
    await stores.startDynamo();

    const { response, requestId } = await callWithDeadline(10_000);

    expect(response.statusCode).toBe(200);
    expect(await stores.auditItemFor(requestId)).toMatchObject([{ status: 'SUCCESS' }]);
  });
});
