import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AuditOptions } from '../middleware/audit.ts';
import { createHttpHandler } from './http-chain.ts';
import type { HealthProbe } from '../middleware/health-check.ts';
import { auditWriteProbe } from '../middleware/health-check.ts';
import type { HttpHandler } from '../types/lambda.ts';
import type { AuditRepository } from '../adapters/audit-repository.ts';
import { DynamoAuditRepository } from '../adapters/audit-repository.ts';
import { createDocumentClient } from '../clients/dynamodb-client.ts';
import { dynamoCallBoundMs } from './request-budget.ts';
import type { BaseEnv } from '../utils/env.ts';
import { createLogger, createMetrics } from '../utils/observability.ts';
import type { SqlClient } from '../clients/sql/sql-client.ts';

/** What a function adds to the standard chain: who/what its audit items describe, and its own probes. */
export interface HttpFunctionOptions {
  audit: Pick<AuditOptions, 'action' | 'describe' | 'successMetric'>;
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
  /** The audit table, for a function that writes its change and the audit item in one transaction. */
  auditTable: string;
  /** Wraps a handler in the standard chain (createHttpHandler), wired from the base environment. */
  createHttpHandler(handler: HttpHandler, options: HttpFunctionOptions): ReturnType<typeof createHttpHandler>;
  /**
   * The container's warm-up, for the init phase: one request to the audit table (the health check's
   * read-only DescribeTable) plus the function's own `tasks` (the SQL pool). A function exports the result
   * as `ready`, and its Lambda entry awaits it (build/build-options.ts). Settles once all have
   * settled or after INIT_WARM_UP_BUDGET_MS; never rejects (a store that is down is the first request's
   * problem, which answers 503).
   */
  warmUp(...tasks: Array<Promise<unknown>>): Promise<void>;
  /**
   * One of the function's own warm-up tasks, made harmless: a failure is logged at WARN by error name
   * (`<what> not reachable at init; ...`), as the kernel logs its own, and the request path tries again.
   */
  primeAtInit(what: string, task: Promise<unknown>): Promise<void>;
}

/**
 * How long init waits for the warm-up before the first request may run. Lambda allows 10 s of init; a store
 * that does not answer must not use them up: the request path has its own timeouts.
 */
export const INIT_WARM_UP_BUDGET_MS = 2500;

/**
 * Builds, once per container, what every HTTP function shares: logger, metrics, the DynamoDB client, the
 * audit repository, and the standard chain with the audit and health settings taken from the base
 * environment. A function's composition root adds only what is its own. `warmUpBudgetMs` bounds the init
 * warm-up (INIT_WARM_UP_BUDGET_MS by default).
 */
export const createFunctionKernel = (
  env: BaseEnv,
  options: { warmUpBudgetMs?: number } = {},
): FunctionKernel => {
  const { warmUpBudgetMs = INIT_WARM_UP_BUDGET_MS } = options;
  const logger = createLogger(env);
  const metrics = createMetrics(env);
  const dynamo = createDocumentClient(env);
  const auditRepository = new DynamoAuditRepository({ client: dynamo, tableName: env.AUDIT_TABLE });

  const primeAtInit = (what: string, task: Promise<unknown>): Promise<void> =>
    task.then(
      () => undefined,
      (error: unknown) => {
        logger.warn(`${what} not reachable at init; the first request will try again`, {
          errorName: (error as Error)?.name,
        });
      },
    );

  const warmUp = async (...tasks: Array<Promise<unknown>>): Promise<void> => {
    // The SDK's first request does a lot once: it resolves the client's configuration, evaluates the
    // endpoint rules, builds its serializers and opens the connection (TLS, in AWS). About 40 ms locally,
    // measured by npm run bench: in init, at full CPU, rather than in the first caller's request.
    const primed = primeAtInit('Audit table', auditRepository.ping());
    let timer: NodeJS.Timeout | undefined;
    const budget = new Promise<'budget'>((resolve) => {
      timer = setTimeout(() => resolve('budget'), warmUpBudgetMs);
      timer.unref();
    });
    const settled = Promise.allSettled([primed, ...tasks]);
    if ((await Promise.race([settled, budget])) === 'budget') {
      logger.warn('Init warm-up still running after its budget; serving anyway', {
        budgetMs: warmUpBudgetMs,
      });
    }
    clearTimeout(timer);
  };

  return {
    logger,
    metrics,
    dynamo,
    auditRepository,
    auditTable: env.AUDIT_TABLE,
    warmUp,
    primeAtInit,
    createHttpHandler: (handler, options) =>
      createHttpHandler(handler, {
        logger,
        metrics,
        corsOrigin: env.CORS_ORIGIN,
        auditReserveMs: dynamoCallBoundMs(env.DYNAMODB_TIMEOUT_MS),
        apiAlias: env.API_ALIAS,
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
          checks: {
            ...options.checks,
            auditTable: () => auditRepository.ping(),
            auditWrite: auditWriteProbe((item) => auditRepository.write(item), {
              service: env.POWERTOOLS_SERVICE_NAME,
              stage: env.STAGE,
              retentionDays: env.AUDIT_RETENTION_DAYS,
            }),
          },
        },
      }),
  };
};
