import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { lambdaContext } from '#testing/api-gateway.ts';
import type { LambdaHandler } from '#testing/load-handler.ts';
import { loadHandler } from '#testing/load-handler.ts';
import { TestStores } from '#testing/test-stores.ts';

const EVENTS = join(process.cwd(), 'infra-local', 'events');
const read = (file: string): unknown => JSON.parse(readFileSync(join(EVENTS, file), 'utf8'));

/** The recorded events of `npm run invoke:price*` and `sam local invoke -e`, and what each must produce. */
const EXPECTED: Record<string, { status: number; code?: string }> = {
  'price-event.json': { status: 200 },
  'price-bad-id-event.json': { status: 400, code: 'VALIDATION_ERROR' },
  'price-missing-params-event.json': { status: 400, code: 'VALIDATION_ERROR' },
  'price-unknown-event.json': { status: 404, code: 'PRICE_NOT_FOUND' },
  'price-health-event.json': { status: 200 },
};

let stores: TestStores;
let handler: LambdaHandler;

beforeAll(async () => {
  stores = await TestStores.start();
  handler = await loadHandler('#functions/price-fetcher/src/handler.ts', stores.priceFetcherEnv());
});
afterAll(async () => {
  await stores.close();
});

describe('the recorded price-fetcher events (infra-local/events)', () => {
  it('cover every price-* event file, so a new event gets an expectation here', () => {
    const files = readdirSync(EVENTS).filter((file) => file.startsWith('price-') && file.endsWith('.json'));
    expect(files.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.entries(EXPECTED))('%s gives %o through the real handler', async (file, expected) => {
    const response = (await handler(read(file), lambdaContext())) as APIGatewayProxyResult;
    const body = JSON.parse(response.body) as { error?: { code: string } };

    expect(response.statusCode).toBe(expected.status);
    expect(body.error?.code).toBe(expected.code);
  });

  it('the health event reports every check and writes no audit item for a user', async () => {
    const before = (await stores.auditItems()).filter((i) => i.pk.startsWith('USER#')).length;
    const response = (await handler(
      read('price-health-event.json'),
      lambdaContext(),
    )) as APIGatewayProxyResult;

    expect(JSON.parse(response.body)).toMatchObject({
      status: 'ok',
      checks: { priceSource: 'ok', auditTable: 'ok', auditWrite: 'ok' },
    });
    const users = (items: { pk: string }[]) => items.filter((i) => i.pk.startsWith('USER#')).length;
    expect(users(await stores.auditItems())).toBe(before);
  });
});
