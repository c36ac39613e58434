import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { AuditAction } from '../../../common/constants/audit.ts';
import { MetricName } from '../../../common/constants/metrics.ts';
import { createHttpHandler } from '../../../common/middleware/http-chain.ts';
import { ProductIdSchema, UserIdSchema } from '../../../common/models/price.ts';
import type { AppContext, HttpEvent, HttpResult } from '../../../common/types/lambda.ts';
import { DynamoAuditRepository } from '../../../common/utils/audit-repository.ts';
import { createDocumentClient } from '../../../common/utils/dynamodb-client.ts';
import { expectMethod, parseQuery, validQueryValue } from '../../../common/utils/http-request.ts';
import { jsonResponse } from '../../../common/utils/http-response.ts';
import { createLogger, createMetrics } from '../../../common/utils/observability.ts';
import { createSqlClient } from '../../../common/utils/sql/create-sql-client.ts';
import { loadPriceFetcherEnv } from './config.ts';
import { GetPriceQuerySchema } from './dto.ts';
import { OraclePriceRepository } from './repository-oracle.ts';
import { PriceService } from './service.ts';

// Composition root: runs once per container, during Lambda init (full CPU, not billed per request).
const env = loadPriceFetcherEnv();
const logger = createLogger(env);
const metrics = createMetrics(env);
const sql = createSqlClient(env, logger);
const auditRepository = new DynamoAuditRepository({
  client: createDocumentClient(env),
  tableName: env.AUDIT_TABLE,
});
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

export const handler = createHttpHandler(getPrice, {
  logger,
  metrics,
  corsOrigin: env.CORS_ORIGIN,
  sql,
  audit: {
    repository: auditRepository,
    action: AuditAction.PriceRead,
    describe: (event) => ({
      userId: validQueryValue(event, 'userId', UserIdSchema),
      productId: validQueryValue(event, 'id', ProductIdSchema),
    }),
    service: env.POWERTOOLS_SERVICE_NAME,
    stage: env.STAGE,
    retentionDays: env.AUDIT_RETENTION_DAYS,
  },
  health: {
    version: env.APP_VERSION,
    checks: {
      priceSource: async () => {
        const lease = await sql.acquire();
        try {
          await prices.findByProductId('HEALTH-CHECK', lease);
        } finally {
          await lease.release();
        }
      },
      auditTable: () => auditRepository.ping(),
    },
  },
});
