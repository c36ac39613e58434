import type { APIGatewayProxyResult } from 'aws-lambda';
import { apiEvent, lambdaContext } from '#testing/api-gateway.ts';
import { reconcileAudit } from '#testing/audit-reconciliation.ts';
import type { LambdaHandler } from '#testing/load-handler.ts';
import { loadHandler } from '#testing/load-handler.ts';
import type { PhasedOutcome } from '#testing/outage.ts';
import { runDynamoOutage } from '#testing/outage.ts';
import { TestStores } from '#testing/test-stores.ts';

const HANDLER = '#functions/price-fetcher/src/handler.ts';
const USER = '3f8a2c1e-5b7d-4e9f-a1c2-7d6e5f4a3b2c';

let stores: TestStores;
let handler: LambdaHandler;

beforeAll(async () => {
  // Persisted, like a real table: an outage must not lose what was written before it.
  stores = await TestStores.start({ persistDynamo: true });
  handler = await loadHandler(HANDLER, stores.priceFetcherEnv());
});
afterAll(async () => {
  await stores.close();
});

interface Outcome extends PhasedOutcome {
  requestId: string;
  statusCode: number;
  body: string;
}

describe('DynamoDB taken away mid-run and brought back (DynamoDB Local behind a fault proxy, real handler)', () => {
  it('fails closed while it is down, loses no audit item, and recovers without a restart', async () => {
    // Eight callers keep requests in flight throughout: found and unknown products.
    const { outcomes, certain } = await runDynamoOutage<Outcome>(stores, 100, (run) =>
      Array.from({ length: 8 }, async (_, caller) => {
        for (let index = 0; run.running; index += 1) {
          const started = run.phase;
          const context = lambdaContext();
          const id = (index + caller) % 3 === 0 ? 'PROD-999' : 'PROD-101';
          const response = (await handler(
            apiEvent({ query: { id, userId: USER } }),
            context,
          )) as APIGatewayProxyResult;
          run.outcomes.push({
            requestId: context.awsRequestId,
            statusCode: response.statusCode,
            body: response.body,
            started,
            ended: run.phase,
          });
        }
      }),
    );
    const answers = (list: Outcome[]) =>
      new Set(
        list.map(
          (outcome) =>
            `${outcome.statusCode} ${(JSON.parse(outcome.body) as { error?: { code: string } }).error?.code ?? 'OK'}`,
        ),
      );
    // Down: every request is refused with 503 AUDIT_UNAVAILABLE, and no body carries a price.
    expect(answers(certain('down'))).toEqual(new Set(['503 AUDIT_UNAVAILABLE']));
    for (const outcome of outcomes.filter((o) => o.statusCode === 503)) {
      expect(outcome.body).not.toMatch(/99\.99|"price"|"currency"/);
      expect(JSON.parse(outcome.body)).toEqual({
        error: { code: 'AUDIT_UNAVAILABLE', message: expect.any(String), requestId: outcome.requestId },
      });
    }
    // Before and after: served normally by the same container, with no restart in between.
    expect(answers(certain('before'))).toEqual(new Set(['200 OK', '404 PRICE_NOT_FOUND']));
    expect(answers(certain('after'))).toEqual(new Set(['200 OK', '404 PRICE_NOT_FOUND']));
    // Nothing served is unaudited: every 200 and 404, across the whole run, has exactly one item.
    const served = outcomes.filter((outcome) => outcome.statusCode < 500);
    const items = await stores.auditItems();
    const servedIds = new Set(served.map((outcome) => outcome.requestId));
    expect(
      reconcileAudit(
        items.filter((item) => servedIds.has(item.requestId)),
        served,
      ),
    ).toMatchObject({ ok: true });
    // A refused request may still have its item (written, but the acknowledgement was lost): never two.
    const refusedIds = new Set(
      outcomes.filter((outcome) => outcome.statusCode === 503).map((outcome) => outcome.requestId),
    );
    const perRefused = new Map<string, number>();
    for (const item of items.filter((item) => refusedIds.has(item.requestId)))
      perRefused.set(item.requestId, (perRefused.get(item.requestId) ?? 0) + 1);
    expect([...perRefused.values()].every((n) => n === 1)).toBe(true);
    expect(items).toHaveLength(served.length + perRefused.size);
  }, 60_000);
});
