import { AuditAction } from '#common/constants/audit.ts';
import { MetricName } from '#common/constants/metrics.ts';
import type { ConfigItem, ConfigKey } from '#common/models/config.ts';
import { ConfigKeyFormatSchema } from '#common/models/config.ts';
import type { AppContext, HttpEvent, HttpResult } from '#common/types/lambda.ts';
import { createFunctionKernel } from '#common/kernel/function-kernel.ts';
import {
  parseAll,
  parseJsonBody,
  parsePathParameters,
  parseQuery,
  validPathValue,
} from '#common/http/http-request.ts';
import { jsonResponse } from '#common/http/http-response.ts';
import { routeByResource } from '#common/http/http-router.ts';
import { TtlCache } from '#common/utils/ttl-cache.ts';
import { loadConfigServiceEnv } from './env.ts';
import {
  ConfigPathSchema,
  PutQuerySchema,
  ReadQuerySchema,
  encodeHistoryCursor,
  historyQuerySchema,
  putConfigBodySchema,
} from './dto.ts';
import { DynamoConfigRepository } from './repository-config.ts';
import { ConfigService } from './service.ts';

// Composition root: runs once per container, during Lambda init.
const env = loadConfigServiceEnv();
const kernel = createFunctionKernel(env);
const configs = new DynamoConfigRepository({
  client: kernel.dynamo,
  tableName: env.CONFIG_TABLE,
  auditTable: kernel.auditTable,
});
const service = new ConfigService({
  configs,
  cache: new TtlCache<ConfigKey, ConfigItem | undefined>({ ttlMs: env.CONFIG_CACHE_SECONDS * 1000 }),
});

/**
 * The init phase's warm-up, awaited by the Lambda entry: the DynamoDB client's first request, and the
 * config table's read-only probe, so the first request's Query does not build its serializers either.
 */
export const ready: Promise<void> = kernel.warmUp(kernel.primeAtInit('Config table', configs.ping()));

/** The `{key}` of the route: 400 when malformed, 404 when the registry does not hold it. */
const keyOf = (event: HttpEvent): ConfigKey =>
  service.knownKey(parsePathParameters(event, ConfigPathSchema).key);

/** GET /config[?userId=<uuid>]: the latest version of every key. */
const listConfig = async (event: HttpEvent, context: AppContext): Promise<HttpResult> => {
  parseQuery(event, ReadQuerySchema);
  const items = await service.list({ signal: context.budget.workSignal() });
  context.auditOutcome = { count: items.length };
  return jsonResponse(200, { items });
};

/** GET /config/{key}[?userId=<uuid>] */
const getConfig = async (event: HttpEvent, context: AppContext): Promise<HttpResult> => {
  const key = keyOf(event);
  parseQuery(event, ReadQuerySchema);
  const item = await service.get(key, { signal: context.budget.workSignal() });
  context.auditOutcome = { version: item.version };
  return jsonResponse(200, item);
};

/** GET /config/{key}/history[?limit=<1-100>&cursor=<opaque>&userId=<uuid>], newest first. */
const getHistory = async (event: HttpEvent, context: AppContext): Promise<HttpResult> => {
  const key = keyOf(event);
  const query = parseQuery(event, historyQuerySchema(key));
  const page = await service.history(
    key,
    { limit: query.limit, before: query.cursor?.before },
    { signal: context.budget.workSignal() },
  );
  const last = page.items.at(-1);
  const nextCursor = page.hasMore && last ? encodeHistoryCursor({ key, before: last.version }) : null;
  context.auditOutcome = { count: page.items.length };
  return jsonResponse(200, { items: page.items, nextCursor });
};

/** PUT /config/{key} (by the caller the authorizer proved) with `{"value": ..., "expectedVersion": n}`: writes version n + 1. */
const putConfig = async (event: HttpEvent, context: AppContext): Promise<HttpResult> => {
  const key = keyOf(event);
  const [, body] = parseAll(
    () => parseQuery(event, PutQuerySchema),
    () => parseJsonBody(event, putConfigBodySchema(key)),
  );
  // The SUCCESS item is stored in the version's own transaction, so it names the version it would write;
  // if the write fails, the audit middleware writes the failure instead, with the expected version only.
  context.auditOutcome = { expectedVersion: body.expectedVersion, version: body.expectedVersion + 1 };
  const audit = context.auditTrail!.successItem();
  context.auditOutcome = { expectedVersion: body.expectedVersion };
  const item = await service.update(
    {
      key,
      value: body.value,
      expectedVersion: body.expectedVersion,
      userId: context.caller.userId,
      requestId: context.awsRequestId,
      audit,
    },
    { signal: context.budget.workSignal() },
  );
  context.auditTrail!.recorded();
  context.auditOutcome = { expectedVersion: body.expectedVersion, version: item.version };
  return jsonResponse(200, item);
};

export const handler = kernel.createHttpHandler(
  routeByResource({
    '/config': { GET: listConfig },
    '/config/{key}': { GET: getConfig, PUT: putConfig },
    '/config/{key}/history': { GET: getHistory },
  }),
  {
    audit: {
      // Anything but a read is an attempted change, and is audited as one even when refused.
      action: (event) => (event.httpMethod === 'GET' ? AuditAction.ConfigRead : AuditAction.ConfigUpdate),
      // A change is counted once its SUCCESS audit item is stored. Reads are API Gateway's to count (2xx).
      successMetric: (event) => (event.httpMethod === 'GET' ? undefined : MetricName.ConfigUpdated),
      describe: (event) => ({
        configKey: validPathValue(event, 'key', ConfigKeyFormatSchema),
      }),
    },
    checks: { configTable: () => configs.ping() },
  },
);
