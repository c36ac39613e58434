import { AuditAction } from '../../../common/constants/audit.ts';
import { createHttpHandler } from '../../../common/middleware/http-chain.ts';
import { UserIdSchema } from '../../../common/models/price.ts';
import type { HttpEvent, HttpResult } from '../../../common/types/lambda.ts';
import { DynamoAuditRepository } from '../../../common/utils/audit-repository.ts';
import { createDocumentClient } from '../../../common/utils/dynamodb-client.ts';
import { expectMethod, parseQuery, validQueryValue } from '../../../common/utils/http-request.ts';
import { jsonResponse } from '../../../common/utils/http-response.ts';
import { createLogger, createMetrics } from '../../../common/utils/observability.ts';
import { load__Pascal__Env } from './config.ts';
import { Get__Pascal__QuerySchema } from './dto.ts';
import { Dynamo__Pascal__Repository } from './repository-dynamodb.ts';
import { __Pascal__Service } from './service.ts';

// Composition root: runs once per container, during Lambda init.
const env = load__Pascal__Env();
const logger = createLogger(env);
const metrics = createMetrics(env);
const client = createDocumentClient(env);
const auditRepository = new DynamoAuditRepository({ client, tableName: env.AUDIT_TABLE });
const items = new Dynamo__Pascal__Repository({ client, tableName: env.__CONST___TABLE });
const service = new __Pascal__Service({ items });

/** GET /__name__?id=<itemId>&userId=<uuid> */
const get__Pascal__ = async (event: HttpEvent): Promise<HttpResult> => {
  expectMethod(event, 'GET');
  const query = parseQuery(event, Get__Pascal__QuerySchema);
  return jsonResponse(200, await service.get(query.id));
};

export const handler = createHttpHandler(get__Pascal__, {
  logger,
  metrics,
  corsOrigin: env.CORS_ORIGIN,
  audit: {
    repository: auditRepository,
    action: AuditAction.__Pascal__Read,
    describe: (event) => ({ userId: validQueryValue(event, 'userId', UserIdSchema) }),
    service: env.POWERTOOLS_SERVICE_NAME,
    stage: env.STAGE,
    retentionDays: env.AUDIT_RETENTION_DAYS,
  },
  health: {
    version: env.APP_VERSION,
    checks: {
      __camel__Table: () => items.ping(),
      auditTable: () => auditRepository.ping(),
    },
  },
});
