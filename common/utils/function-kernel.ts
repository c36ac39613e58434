import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AuditOptions } from '../middleware/audit.ts';
import { createHttpHandler } from '../middleware/http-chain.ts';
import type { HealthProbe } from '../middleware/health-check.ts';
import type { HttpHandler } from '../types/lambda.ts';
import type { AuditRepository } from './audit-repository.ts';
import { DynamoAuditRepository } from './audit-repository.ts';
import { createDocumentClient } from './dynamodb-client.ts';
import type { BaseEnv } from './env.ts';
import { createLogger, createMetrics } from './observability.ts';
import type { SqlClient } from './sql/sql-client.ts';

/** What a function adds to the standard chain: who/what its audit items describe, and its own probes. */
export interface HttpFunctionOptions {
  audit: Pick<AuditOptions, 'action' | 'describe'>;
  /** Read-only probes of the function's own stores. The audit table probe is always added. */
  checks?: Record<string, HealthProbe>;
  /** Present for functions that read the SQL source. */
  sql?: SqlClient;
}

export interface FunctionKernel {
  logger: Logger;
  metrics: Metrics;
  /** The one DynamoDB client of the container, shared by the audit repository and the function's own. */
  dynamo: DynamoDBDocumentClient;
  auditRepository: AuditRepository;
  /** Wraps a handler in the standard chain (createHttpHandler), wired from the base environment. */
  createHttpHandler(handler: HttpHandler, options: HttpFunctionOptions): ReturnType<typeof createHttpHandler>;
}

/**
 * Builds, once per container, what every HTTP function shares: logger, metrics, the DynamoDB client, the
 * audit repository, and the standard chain with the audit and health settings taken from the base
 * environment. A function's composition root adds only what is its own.
 */
export const createFunctionKernel = (env: BaseEnv): FunctionKernel => {
  const logger = createLogger(env);
  const metrics = createMetrics(env);
  const dynamo = createDocumentClient(env);
  const auditRepository = new DynamoAuditRepository({ client: dynamo, tableName: env.AUDIT_TABLE });

  return {
    logger,
    metrics,
    dynamo,
    auditRepository,
    createHttpHandler: (handler, options) =>
      createHttpHandler(handler, {
        logger,
        metrics,
        corsOrigin: env.CORS_ORIGIN,
        ...(options.sql ? { sql: options.sql } : {}),
        audit: {
          ...options.audit,
          repository: auditRepository,
          service: env.POWERTOOLS_SERVICE_NAME,
          stage: env.STAGE,
          retentionDays: env.AUDIT_RETENTION_DAYS,
        },
        health: {
          version: env.APP_VERSION,
          checks: { ...options.checks, auditTable: () => auditRepository.ping() },
        },
      }),
  };
};
