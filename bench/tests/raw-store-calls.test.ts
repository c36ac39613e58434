import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '#build/paths.ts';
import type { AuditItem } from '#common/models/audit.ts';
import type { HttpEvent } from '#common/types/lambda.ts';
import { lambdaContext } from '#testing/api-gateway.ts';
import { loadHandler } from '#testing/load-handler.ts';
import { TestStores } from '#testing/test-stores.ts';
import { createRawStoreCalls } from '../fixtures/raw-store-calls.ts';

// The warm-path ratio (npm run bench) divides the handler's time by the raw store calls' time. It means
// something only if the raw side makes the same calls: the same query and the same audit put, item for item.
const event = JSON.parse(
  readFileSync(join(repoRoot(), 'infra-local', 'events', 'price-event.json'), 'utf8'),
) as HttpEvent;

let stores: TestStores;
beforeAll(async () => {
  stores = await TestStores.start();
});
afterAll(async () => {
  await stores.close();
});

/** What differs between two requests by nature: their ids and their time. The retention period stays. */
const comparable = ({ requestId, sk, timestamp, expiresAt, ...rest }: AuditItem) => ({
  ...rest,
  idInSortKey: sk.endsWith(`#${requestId}`),
  retentionSeconds: expiresAt - Math.floor(Date.parse(timestamp) / 1000),
});

describe('the raw store calls the warm-path benchmark measures against', () => {
  it('write the very audit item the handler writes for the bench event, after the same query', async () => {
    const env = stores.priceFetcherEnv();
    const handler = await loadHandler('#functions/price-fetcher/src/handler.ts', env);
    const context = lambdaContext();
    const response = (await handler(event, context)) as { statusCode: number };
    expect(response.statusCode).toBe(200);

    const raw = createRawStoreCalls(env, event);
    await raw.call('raw-store-calls-1');
    await raw.close();

    const [byHandler] = await stores.auditItemFor(context.awsRequestId);
    const [byRaw] = await stores.auditItemFor('raw-store-calls-1');
    expect(byHandler).toBeDefined();
    expect(byRaw).toBeDefined();
    expect(comparable(byRaw!)).toEqual(comparable(byHandler!));
    expect(Object.keys(byRaw!).sort()).toEqual(Object.keys(byHandler!).sort());
  });
});
