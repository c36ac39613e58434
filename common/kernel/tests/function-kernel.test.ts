import * as z from 'zod/mini';
import { captureOutput, logLines } from '#testing/capture-output.ts';
import { freePort } from '#testing/free-port.ts';
import { recordingProxy } from '#testing/recording-proxy.ts';
import { TestStores } from '#testing/test-stores.ts';
import { apiEvent, lambdaContext } from '#testing/api-gateway.ts';
import { SourceUnavailableError, ValidationError } from '../../errors/app-errors.ts';
import type { SqlClient, SqlLease } from '../../clients/sql/sql-client.ts';
import { SAFETY_MARGIN_MS } from '../request-budget.ts';
import { BaseEnvSchema } from '../../utils/env.ts';
import type { FunctionKernel } from '../function-kernel.ts';
import { createFunctionKernel } from '../function-kernel.ts';

let stores: TestStores;
const kernels: FunctionKernel[] = [];

const kernelWith = (
  overrides: Record<string, string>,
  options: { warmUpBudgetMs?: number } = {},
): FunctionKernel => {
  const kernel = createFunctionKernel(
    z.parse(BaseEnvSchema, { ...stores.configServiceEnv(), LOG_LEVEL: 'WARN', ...overrides }),
    options,
  );
  kernels.push(kernel);
  return kernel;
};

/** One GET /price invocation of a kernel handler with `context`, its log captured (and discarded). */
const invokeGetPrice = async (
  handler: ReturnType<FunctionKernel['createHttpHandler']>,
  context: ReturnType<typeof lambdaContext> = lambdaContext(),
): Promise<{ statusCode: number; body: string }> =>
  (
    await captureOutput(
      async () =>
        (await handler(
          apiEvent({ query: { id: 'PROD-101' } }),
          context as Parameters<typeof handler>[1],
        )) as { statusCode: number; body: string },
    )
  ).result;

beforeAll(async () => {
  stores = await TestStores.start();
});
afterAll(async () => {
  for (const kernel of kernels) kernel.dynamo.destroy();
  await stores.close();
});

describe('FunctionKernel.warmUp (the init phase)', () => {
  it("makes the DynamoDB client's first request, to the audit table, and waits for the function's own", async () => {
    const proxy = await recordingProxy(stores.endpoint);
    try {
      const kernel = kernelWith({ DYNAMODB_ENDPOINT: proxy.endpoint });
      let ownDone = false;
      const own = new Promise<void>((resolve) => setTimeout(resolve, 50)).then(() => {
        ownDone = true;
      });

      const { lines } = await captureOutput(() => kernel.warmUp(own));

      expect(proxy.operations()).toEqual(['DescribeTable']);
      expect(ownDone).toBe(true);
      expect(logLines(lines)).toEqual([]);
    } finally {
      await proxy.close();
    }
  });

  it('never rejects: a store that is down is logged by error name and left to the first request', async () => {
    const kernel = kernelWith({ DYNAMODB_ENDPOINT: `http://127.0.0.1:${await freePort()}` });

    const { lines } = await captureOutput(() => kernel.warmUp(Promise.reject(new Error('pool down'))));

    expect(logLines(lines)).toEqual([
      expect.objectContaining({
        level: 'WARN',
        message: 'Audit table not reachable at init; the first request will try again',
        errorName: expect.any(String),
      }),
    ]);
  });

  it('stops waiting after its budget, says so, and lets the function serve', async () => {
    // An injected budget: the test exercises the budget, not the production value (2.5 s of waiting).
    const kernel = kernelWith({}, { warmUpBudgetMs: 50 });
    const never = new Promise<void>(() => undefined);

    const { lines } = await captureOutput(() => kernel.warmUp(never));

    expect(logLines(lines)).toEqual([
      expect.objectContaining({
        level: 'WARN',
        message: 'Init warm-up still running after its budget; serving anyway',
        budgetMs: 50,
      }),
    ]);
  });
});

describe('FunctionKernel.createHttpHandler: the request budget', () => {
  it('ends with the request, on the error path too: a store call still running is aborted', async () => {
    const kernel = kernelWith({ LOG_LEVEL: 'SILENT' });
    const seen: AbortSignal[] = [];
    const handler = kernel.createHttpHandler(
      async (_event, context) => {
        // A sibling read still in flight when another one fails: only its signal can stop it.
        seen.push(context.budget.workSignal());
        throw new ValidationError([{ field: 'id', issue: 'is required' }]);
      },
      { audit: { action: 'PRICE_READ', describe: () => ({}) } },
    );

    const response = await invokeGetPrice(handler);

    expect(response.statusCode).toBe(400);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.aborted).toBe(true);
    expect((seen[0]!.reason as DOMException).name).toBe('AbortError');
  });

  it('cuts a handler that awaits what no budget bounds at the end of its work share: 500, audited, the margin kept', async () => {
    const kernel = kernelWith({ LOG_LEVEL: 'SILENT' });
    const handler = kernel.createHttpHandler(
      // A defect: an await that never settles and takes no signal from the budget.
      () => new Promise(() => undefined),
      { audit: { action: 'PRICE_READ', describe: () => ({}) } },
    );
    const context = lambdaContext('kernel-test', 5_000);

    const response = await invokeGetPrice(handler, context);

    expect(response.statusCode).toBe(500);
    expect(JSON.parse(response.body)).toMatchObject({ error: { code: 'INTERNAL_ERROR' } });
    // Answered with its audit item stored, before the margin: not a Lambda timeout.
    expect(context.getRemainingTimeInMillis()).toBeGreaterThanOrEqual(SAFETY_MARGIN_MS);
    expect(await stores.auditItemFor(context.awsRequestId)).toMatchObject([
      { status: 'ERROR', httpStatus: 500, errorCode: 'INTERNAL_ERROR' },
    ]);
  });

  it('cuts a query no timeout can interrupt, whose connection cannot be released until it ends (as node-oracledb serialises close behind execute): 500, audited, the margin kept', async () => {
    const kernel = kernelWith({ LOG_LEVEL: 'SILENT' });
    const hung = new Promise<never>(() => undefined);
    const lease: SqlLease = { query: () => hung, release: () => hung };
    const sql: SqlClient = {
      engine: 'oracle',
      warm: () => Promise.resolve(),
      acquire: () => Promise.resolve(lease),
      stats: () => ({ open: 1, inUse: 1 }),
      close: () => Promise.resolve(),
    };
    const handler = kernel.createHttpHandler(
      async (_event, context) => {
        await context.db.query('SELECT 1 FROM dual', {});
        return { statusCode: 200, body: '{}' };
      },
      { audit: { action: 'PRICE_READ', describe: () => ({}) }, sql },
    );
    const context = lambdaContext('kernel-test', 5_000);

    const response = await invokeGetPrice(handler, context);

    expect(response.statusCode).toBe(500);
    expect(context.getRemainingTimeInMillis()).toBeGreaterThanOrEqual(SAFETY_MARGIN_MS);
    expect(await stores.auditItemFor(context.awsRequestId)).toMatchObject([
      { status: 'ERROR', httpStatus: 500, errorCode: 'INTERNAL_ERROR' },
    ]);
  });

  it('with a deadline too short for any work, the budget’s own abort answers (503 with its code), not the backstop', async () => {
    const kernel = kernelWith({ LOG_LEVEL: 'SILENT' });
    const handler = kernel.createHttpHandler(
      async (_event, context) => {
        // A first step (5 ms), then a store call that takes the work signal and fails as the SQL clients
        // do when it fires: a signal taken after the handler started, as a change's write after its read.
        await new Promise((resolve) => setTimeout(resolve, 5));
        return new Promise((_, reject) => {
          context.budget
            .workSignal()
            .addEventListener('abort', () => reject(new SourceUnavailableError(new Error('aborted'))));
        });
      },
      { audit: { action: 'PRICE_READ', describe: () => ({}) } },
    );
    const context = lambdaContext('kernel-test', 3_000);

    const response = await invokeGetPrice(handler, context);

    expect(response.statusCode).toBe(503);
    expect(JSON.parse(response.body)).toMatchObject({ error: { code: 'SOURCE_UNAVAILABLE' } });
  });
});
