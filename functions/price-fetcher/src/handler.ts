import { AuditAction } from '#common/constants/audit.ts';
import { MetricName } from '#common/constants/metrics.ts';
import { ProductIdSchema } from '#common/models/price.ts';
import type { AppContext, HttpEvent, HttpResult } from '#common/types/lambda.ts';
import { createFunctionKernel } from '#common/kernel/function-kernel.ts';
import { expectMethod, parseQuery, validQueryValue } from '#common/http/http-request.ts';
import { jsonResponse } from '#common/http/http-response.ts';
import { createSqlClient } from '#common/clients/sql/create-sql-client.ts';
import { loadPriceFetcherEnv } from './env.ts';
import { GetPriceQuerySchema } from './dto.ts';
import { SqlPriceRepository } from './repository-sql.ts';
import { PriceService } from './service.ts';

// Composition root: runs once per container, during Lambda init (full CPU, not billed per request).
const env = loadPriceFetcherEnv();
const kernel = createFunctionKernel(env);
const { logger } = kernel;
const sql = createSqlClient(env, logger);
const prices = new SqlPriceRepository();
const service = new PriceService({ prices });

/**
 * The init phase's warm-up, awaited by the Lambda entry before the first request: the driver is loaded and
 * the pool created (or the embedded file opened), and the DynamoDB client has made its first request. A
 * failure is not fatal: the first request retries, and answers 503 if the store is still down. Tests load
 * each handler in its own module registry and await it too, so the lazily imported driver loads there.
 */
export const ready: Promise<void> = kernel.warmUp(kernel.primeAtInit('SQL source', sql.warm()));

/** GET /price?id=<productId>, for the caller the authorizer proved. */
const getPrice = async (event: HttpEvent, context: AppContext): Promise<HttpResult> => {
  expectMethod(event, 'GET');
  const query = parseQuery(event, GetPriceQuerySchema);
  const price = await service.getPrice(query.id, context.db);
  // PriceFetched is counted by the audit middleware once the SUCCESS item is stored.
  return jsonResponse(200, price);
};

export const handler = kernel.createHttpHandler(getPrice, {
  sql,
  audit: {
    action: AuditAction.PriceRead,
    describe: (event) => ({
      productId: validQueryValue(event, 'id', ProductIdSchema),
    }),
    successMetric: MetricName.PriceFetched,
  },
  checks: {
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
