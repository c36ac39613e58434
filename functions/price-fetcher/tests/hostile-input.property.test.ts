import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { APIGatewayProxyResult } from 'aws-lambda';
import fc from 'fast-check';
import { CORRELATION_ID_PATTERN } from '#common/constants/http.ts';
import { PRODUCT_ID_PATTERN, ProductIdSchema, UserIdSchema } from '#common/models/price.ts';
import { RECORDED_USER, apiEvent, lambdaContext } from '#testing/api-gateway.ts';
import type { ObservedResponse } from '#testing/audit-reconciliation.ts';
import { reconcileAudit } from '#testing/audit-reconciliation.ts';
import type { HostileRequest } from '#testing/hostile-input.ts';
import { hostileRequest } from '#testing/hostile-input.ts';
import { assertNoEcho, assertSafeResponse } from '#testing/hostile-invariants.ts';
import type { LambdaHandler } from '#testing/load-handler.ts';
import { loadHandler } from '#testing/load-handler.ts';
import { propertyParameters } from '#testing/property-runs.ts';
import { TestStores } from '#testing/test-stores.ts';
import { loadSqlite } from '#common/clients/sql/sqlite-client.ts';
import { GetPriceQuerySchema } from '../src/dto.ts';

const HANDLER = '#functions/price-fetcher/src/handler.ts';
/** Thousands by default; HOSTILE_RUNS raises it for a soak; the seed is printed, FC_SEED replays it. */
const PROPERTY = propertyParameters('price-fetcher hostile input', 2000);
const RUNS = PROPERTY.numRuns;

let stores: TestStores;
let handler: LambdaHandler;
let seeded: Set<string>;

/** The whole price table, as bytes and as rows: the request path must never change either. */
const pricesFingerprint = () => {
  const { DatabaseSync } = loadSqlite();
  const db = new DatabaseSync(stores.sqlitePath, { readOnly: true });
  try {
    const rows = db
      .prepare('SELECT product_id, price, currency FROM product_prices ORDER BY product_id')
      .all();
    return { rows, sha256: createHash('sha256').update(readFileSync(stores.sqlitePath)).digest('hex') };
  } finally {
    db.close();
  }
};

beforeAll(async () => {
  stores = await TestStores.start();
  handler = await loadHandler(HANDLER, stores.priceFetcherEnv());
  seeded = new Set(pricesFingerprint().rows.map((row) => String(row.product_id)));
});
afterAll(async () => {
  await stores.close();
});

const valuesOf = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** The contract, independent of the handler's code path: which status this request must get. */
const expectedStatus = (request: HostileRequest): number => {
  const query = request.query ?? {};
  // The caller is the authorizer's (the recorded event's); a userId naming anyone else is refused first.
  if (valuesOf(query.userId).some((value) => value.toLowerCase() !== RECORDED_USER)) return 403;
  if (request.method !== 'GET') return 405;
  if (Object.keys(query).some((name) => name !== 'id' && name !== 'userId')) return 400;
  if (Object.values(query).some((value) => valuesOf(value).length > 1)) return 400;
  const parsed = GetPriceQuerySchema.safeParse({ id: query.id, userId: query.userId });
  if (!parsed.success) return 400;
  return seeded.has(parsed.data.id) ? 200 : 404;
};

/** A value of a validated shape (a product id, a UUID, a well-formed correlation id) is stored by design. */
const validatedShape = (value: string): boolean =>
  ProductIdSchema.safeParse(value).success ||
  UserIdSchema.safeParse(value).success ||
  CORRELATION_ID_PATTERN.test(value);

/** Everything the caller sent that must come back nowhere: parameters, headers, body, method. */
const hostileValues = (request: HostileRequest): string[] =>
  [
    ...Object.values(request.query ?? {}).flatMap(valuesOf),
    ...Object.values(request.headers),
    ...(request.body === null ? [] : [request.body]),
    request.method,
  ].filter((value) => !validatedShape(value));

const requestArbitrary = hostileRequest({
  method: 'GET',
  query: {
    id: fc.oneof(
      fc.constantFrom('PROD-101', 'PROD-102', 'legacy_sku_7', 'PROD-999', 'prod-101'),
      fc.stringMatching(PRODUCT_ID_PATTERN),
    ),
    userId: fc.oneof(fc.constant(RECORDED_USER), fc.constant(RECORDED_USER.toUpperCase()), fc.uuid()),
  },
});

describe('GET /price under hostile input (fast-check, real handler, node:sqlite + DynamoDB Local)', () => {
  it(`answers ${RUNS} generated requests safely, audits each exactly once, and never changes the prices`, async () => {
    const before = pricesFingerprint();
    const observed: (ObservedResponse & { hostile: string[] })[] = [];
    const statuses = new Map<number, number>();

    await fc.assert(
      fc.asyncProperty(requestArbitrary, async (request) => {
        const context = lambdaContext();
        const event = apiEvent({
          method: request.method,
          query: request.query,
          headers: request.headers,
          body: request.body,
        });

        const response = (await handler(event, context)) as APIGatewayProxyResult;

        assertSafeResponse(response, {
          requestId: context.awsRequestId,
          mustNotEcho: hostileValues(request),
          echoableHeaders: ['x-correlation-id'],
        });
        expect(response.statusCode).toBe(expectedStatus(request));
        observed.push({
          requestId: context.awsRequestId,
          statusCode: response.statusCode,
          hostile: hostileValues(request),
        });
        statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
      }),
      PROPERTY,
    );

    // Exactly one audit item per request, with the status the caller saw, and no hostile value stored.
    const items = await stores.auditItems();
    const reconciliation = reconcileAudit(items, observed);
    expect(reconciliation).toMatchObject({
      missing: [],
      duplicated: [],
      mismatched: [],
      unexpected: [],
      ok: true,
    });
    const itemByRequest = new Map(items.map((item) => [item.requestId, JSON.stringify(item)]));
    for (const { requestId, hostile } of observed)
      assertNoEcho(`audit item ${requestId}`, [itemByRequest.get(requestId)!], hostile);
    // The source table is read-only to this path: same rows, same bytes.
    expect(pricesFingerprint()).toEqual(before);
    // The generator reached every branch of the contract, not just validation.
    expect([...statuses.keys()].sort()).toEqual([200, 400, 403, 404, 405]);
  }, 300_000);
});
