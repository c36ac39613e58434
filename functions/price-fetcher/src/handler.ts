import { CachedConfig } from '#common/adapters/cached-config.ts';
import { latestConfigItem, pingConfigTable } from '#common/adapters/config-table.ts';
import { AuditAction } from '#common/constants/audit.ts';
import { HttpHeader } from '#common/constants/http.ts';
import { ProductIdSchema } from '#common/models/price.ts';
import type { AppContext, HttpEvent, HttpResult } from '#common/types/lambda.ts';
import { createFunctionKernel } from '#common/kernel/function-kernel.ts';
import { expectMethod, parseQuery, validQueryValue } from '#common/http/http-request.ts';
import { jsonResponse } from '#common/http/http-response.ts';
import { createSqlClient } from '#common/clients/sql/create-sql-client.ts';
import { loadPriceFetcherEnv } from './env.ts';
import { GetPriceQuerySchema } from './dto.ts';
import { MaintenanceError } from './errors.ts';
import { SqlPriceRepository } from './repository-sql.ts';
import { PriceService } from './service.ts';

// Composition root: runs once per container, during Lambda init (full CPU, not billed per request).
const env = loadPriceFetcherEnv();
const kernel = createFunctionKernel(env);
const { logger } = kernel;
const sql = createSqlClient(env, logger);
const prices = new SqlPriceRepository();
const service = new PriceService({ prices });
/** The switches config-service owns and audits, read at most every CONFIG_CACHE_SECONDS. */
const settings = new CachedConfig({
  keys: ['maintenanceMode', 'priceCacheSeconds'],
  read: (key, signal) => latestConfigItem(kernel.dynamo, env.CONFIG_TABLE, key, signal),
  ttlMs: env.CONFIG_CACHE_SECONDS * 1000,
  // One DynamoDB attempt's time: the rest of the work share is the source's.
  readTimeoutMs: env.DYNAMODB_TIMEOUT_MS,
  logger,
  metrics: kernel.metrics,
});
/** When a client may ask again during maintenance: when this container reads the switch again. */
const RETRY_AFTER_SECONDS = Math.max(1, env.CONFIG_CACHE_SECONDS);

/**
 * The init phase's warm-up, awaited by the Lambda entry before the first request: the driver is loaded and
 * the pool created (or the embedded file opened), and the DynamoDB client has made its first request. A
 * failure is not fatal: the first request retries, and answers 503 if the store is still down. Tests load
 * each handler in its own module registry and await it too, so the lazily imported driver loads there.
 */
export const ready: Promise<void> = kernel.warmUp(
  kernel.primeAtInit('SQL source', sql.warm()),
  // Never rejects: a table it cannot read leaves the initial values, and the first request reads again.
  settings.values(),
);

/**
 * GET /price?id=<productId>, for the caller the authorizer proved. A bad request is refused first, whatever
 * the switches say; during maintenance the source is not read at all.
 */
const getPrice = async (event: HttpEvent, context: AppContext): Promise<HttpResult> => {
  expectMethod(event, 'GET');
  const query = parseQuery(event, GetPriceQuerySchema);
  // A read, when one is due, ends at the work share or at readTimeoutMs, whichever comes first.
  const { maintenanceMode, priceCacheSeconds } =
    settings.cached() ?? (await settings.values(() => context.budget?.workSignal()));
  if (maintenanceMode) throw new MaintenanceError(RETRY_AFTER_SECONDS);
  const price = await service.getPrice(query.id, context.db);
  // Served prices are counted by API Gateway (2xx on GET /price): a 200 leaves only after its audit item.
  return priceCacheSeconds > 0
    ? jsonResponse(200, price, cacheableFor(priceCacheSeconds))
    : jsonResponse(200, price);
};

/**
 * The caller's own answer: a browser may keep it, a shared cache never, and never for another token
 * (without Vary, a browser keys its cache by URL alone and would show one user's price to the next). CORS
 * adds Origin to this Vary. Built when the switch's value changes, not per request.
 */
let cacheable = { seconds: -1, headers: {} as Readonly<Record<string, string>> };
const cacheableFor = (seconds: number): Readonly<Record<string, string>> => {
  if (cacheable.seconds !== seconds) {
    const headers = { [HttpHeader.cacheControl]: `private, max-age=${seconds}`, Vary: 'Authorization' };
    cacheable = { seconds, headers: Object.freeze(headers) };
  }
  return cacheable.headers;
};

export const handler = kernel.createHttpHandler(getPrice, {
  sql,
  audit: {
    action: AuditAction.PriceRead,
    describe: (event) => ({
      productId: validQueryValue(event, 'id', ProductIdSchema),
    }),
  },
  checks: {
    // The Query the switches need, on a partition no key uses: a role without it fails the smoke test.
    configTable: () => pingConfigTable(kernel.dynamo, env.CONFIG_TABLE),
    // Bounded by the client's own timeouts, not the work budget: a health check writes no audit item.
    priceSource: async () => {
      const lease = await sql.acquire();
      try {
        await prices.findByProductId('HEALTH-CHECK', lease);
      } finally {
        await lease.release();
      }
    },
  },
});
