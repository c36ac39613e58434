import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { AuditAction } from '../../../common/constants/audit.ts';
import { MetricName } from '../../../common/constants/metrics.ts';
import { ProductIdSchema, UserIdSchema } from '../../../common/models/price.ts';
import type { AppContext, HttpEvent, HttpResult } from '../../../common/types/lambda.ts';
import { createFunctionKernel } from '../../../common/utils/function-kernel.ts';
import { expectMethod, parseQuery, validQueryValue } from '../../../common/utils/http-request.ts';
import { jsonResponse } from '../../../common/utils/http-response.ts';
import { createSqlClient } from '../../../common/utils/sql/create-sql-client.ts';
import { loadPriceFetcherEnv } from './config.ts';
import { GetPriceQuerySchema } from './dto.ts';
import { OraclePriceRepository } from './repository-oracle.ts';
import { PriceService } from './service.ts';

// Composition root: runs once per container, during Lambda init (full CPU, not billed per request).
const env = loadPriceFetcherEnv();
const kernel = createFunctionKernel(env);
const { logger, metrics } = kernel;
const sql = createSqlClient(env, logger);
const prices = new OraclePriceRepository();
const service = new PriceService({ prices });

// Create the pool (or open the embedded file) during init rather than on the first request. A failure is
// not fatal: the first request retries and answers 503 SOURCE_UNAVAILABLE if the source is still down.
void sql.warm().catch((error: unknown) => logger.warn('SQL source not reachable at init', { error }));

/** GET /price?id=<productId>&userId=<uuid> */
const getPrice = async (event: HttpEvent, context: AppContext): Promise<HttpResult> => {
  expectMethod(event, 'GET');
  const query = parseQuery(event, GetPriceQuerySchema);
  const price = await service.getPrice(query.id, context.db);
  metrics.addMetric(MetricName.PriceFetched, MetricUnit.Count, 1);
  return jsonResponse(200, price);
};

export const handler = kernel.createHttpHandler(getPrice, {
  sql,
  audit: {
    action: AuditAction.PriceRead,
    describe: (event) => ({
      userId: validQueryValue(event, 'userId', UserIdSchema),
      productId: validQueryValue(event, 'id', ProductIdSchema),
    }),
  },
  checks: {
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
