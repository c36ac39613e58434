import { SAFETY_MARGIN_MS } from '#common/kernel/request-budget.ts';
import type { HttpEvent } from '#common/types/lambda.ts';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { lambdaContext } from '#testing/api-gateway.ts';
import { HANDLER, getEvent, listEvent, putEvent } from '#testing/config-service-requests.ts';
import type { LambdaHandler } from '#testing/load-handler.ts';
import { loadHandler } from '#testing/load-handler.ts';
import { TestStores } from '#testing/test-stores.ts';

let stores: TestStores;
let handler: LambdaHandler;

beforeAll(async () => {
  stores = await TestStores.start();
  // Cache off: every request goes to the store, as a container's first request does.
  handler = await loadHandler(
    HANDLER,
    stores.configServiceEnv({ CONFIG_CACHE_SECONDS: '0', DYNAMODB_TIMEOUT_MS: '1000' }),
  );
});
afterAll(() => stores.close());
afterEach(() => stores.startDynamo());

const callWithDeadline = async (event: HttpEvent, timeoutMs = 10_000) => {
  const context = lambdaContext('config-service-test', timeoutMs);
  const response = (await handler(event, context)) as APIGatewayProxyResult;
  return { response, remainingMs: context.getRemainingTimeInMillis(), requestId: context.awsRequestId };
};

const requests: Array<[string, () => HttpEvent]> = [
  ['GET /config/{key}', () => getEvent('maintenanceMode')],
  ['GET /config', () => listEvent()],
  ['PUT /config/{key}', () => putEvent('maintenanceMode', { value: true, expectedVersion: 1 })],
];

describe('DynamoDB hangs (accepts connections, never answers) or is down, for config-service', () => {
  it.each(
    requests.flatMap(([name, event]) => [['hangs', name, event] as const, ['is down', name, event] as const]),
  )(
    'when DynamoDB %s, %s answers 503 with no configuration, at least 1 s before the deadline',
    async (fault, _name, event) => {
      await (fault === 'hangs' ? stores.hangDynamo() : stores.stopDynamo());

      const { response, remainingMs } = await callWithDeadline(event());

      expect(response.statusCode).toBe(503);
      const body = JSON.parse(response.body) as { error: { code: string } };
      expect(Object.keys(body)).toEqual(['error']);
      // The audit attempt fails too, and decides: without evidence, nothing is served.
      expect(body.error.code).toBe('AUDIT_UNAVAILABLE');
      expect(remainingMs).toBeGreaterThanOrEqual(SAFETY_MARGIN_MS);
    },
  );

  // At 3 s the audit write's share is less than its reserve: the budget's abort signal, not the client's
  // timers, ends it.
  it.each([4_000, 3_000])(
    'with a tight deadline (%i ms), a PUT into a hung store still answers in time, and stores nothing',
    async (deadlineMs) => {
      await stores.hangDynamo();

      const { response, remainingMs } = await callWithDeadline(
        putEvent('maintenanceMode', { value: true, expectedVersion: 1 }),
        deadlineMs,
      );

      expect(response.statusCode).toBe(503);
      expect(remainingMs).toBeGreaterThanOrEqual(SAFETY_MARGIN_MS);
      await stores.startDynamo();
      expect((await stores.configVersions('maintenanceMode')).map((item) => item.version)).toEqual([1]);
    },
  );

  // The client's request timeout ends when the headers arrive; only the budget's signal bounds the body.
  it.each([
    ['GET /config/{key}', () => getEvent('maintenanceMode'), 'Query'],
    [
      'PUT /config/{key}',
      () => putEvent('maintenanceMode', { value: true, expectedVersion: 1 }),
      'TransactWriteItems',
    ],
  ] as const)(
    'when the config table stops mid-answer to %s (headers and one byte, then nothing), the call is cut at the work share: 503 CONFIG_UNAVAILABLE, audited, at least 1 s before the deadline',
    async (_name, event, operation) => {
      stores.faults.reset();
      stores.faults.addRule({
        match: (request) => request.operation === operation,
        fault: { kind: 'stall' },
        times: 1,
      });

      const { response, remainingMs, requestId } = await callWithDeadline(event());

      expect(response.statusCode).toBe(503);
      expect(JSON.parse(response.body)).toMatchObject({ error: { code: 'CONFIG_UNAVAILABLE' } });
      expect(remainingMs).toBeGreaterThanOrEqual(SAFETY_MARGIN_MS);
      expect(stores.faults.faulted()).toBe(1);
      // The audit write had its own reserve left, so the refusal is on record; no version was added.
      expect(await stores.auditItemFor(requestId)).toMatchObject([
        { status: 'ERROR', httpStatus: 503, errorCode: 'CONFIG_UNAVAILABLE' },
      ]);
      expect((await stores.configVersions('maintenanceMode')).map((item) => item.version)).toEqual([1]);
    },
  );
});
