import type { Logger } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj } from '@middy/core';
import type { HealthResponse } from '../models/health.ts';
import { HealthCheckEventSchema } from '../models/health.ts';
import type { AppContext, HttpEvent, HttpRequest, HttpResult } from '../types/lambda.ts';
import { jsonResponse } from '../http/http-response.ts';
import { withDeadline } from '../clients/sql/sql-client.ts';
import { AuditAction, AuditKeys, AuditStatus, SECONDS_PER_DAY } from '../constants/audit.ts';
import type { AuditItem } from '../models/audit.ts';

/** What a probe may need to know about the health check it runs in. */
export interface HealthProbeContext {
  requestId: string;
  now: Date;
}

/** A named probe of one dependency. It throws when the dependency is not usable. */
export type HealthProbe = (context: HealthProbeContext) => Promise<void>;

/**
 * The write-path probe: one conditional put of a `HEALTH_CHECK` audit item under the fixed `SYSTEM#DEPLOY`
 * partition (unique sort key, like every audit item). A role without PutItem on the audit table then fails
 * the deployment's smoke test instead of the first customer's request. It records no user and no business data.
 */
export const auditWriteProbe =
  (
    write: (item: AuditItem) => Promise<unknown>,
    opts: { service: string; stage: string; retentionDays: number },
  ): HealthProbe =>
  async ({ requestId, now }) => {
    const timestamp = now.toISOString();
    await write({
      pk: AuditKeys.deploySystem,
      sk: `${AuditKeys.sortPrefix}${timestamp}#${requestId}`,
      action: AuditAction.HealthCheck,
      status: AuditStatus.Success,
      requestId,
      correlationId: requestId,
      timestamp,
      expiresAt: Math.floor(now.getTime() / 1000) + opts.retentionDays * SECONDS_PER_DAY,
      httpStatus: 200,
      service: opts.service,
      stage: opts.stage,
    });
  };

export interface HealthCheckOptions {
  checks: Record<string, HealthProbe>;
  version: string;
  logger: Logger;
  timeoutMs?: number;
}

/** Runs every probe in parallel, each bounded, and reports them all (one failure does not hide another). */
export const runHealthChecks = async (
  checks: Record<string, HealthProbe>,
  version: string,
  timeoutMs: number,
  context: HealthProbeContext = { requestId: 'health-check', now: new Date() },
): Promise<{ response: HealthResponse; failures: Record<string, unknown> }> => {
  const names = Object.keys(checks);
  const results = await Promise.allSettled(
    names.map((name) =>
      withDeadline(checks[name]!(context), timeoutMs, () => undefined, `health check ${name}`),
    ),
  );
  const failures: Record<string, unknown> = {};
  const statuses: HealthResponse['checks'] = {};
  results.forEach((result, index) => {
    const name = names[index]!;
    statuses[name] = result.status === 'fulfilled' ? 'ok' : 'error';
    if (result.status === 'rejected') failures[name] = result.reason;
  });
  const ok = Object.keys(failures).length === 0;
  return { response: { status: ok ? 'ok' : 'error', checks: statuses, version }, failures };
};

/**
 * Answers a direct invoke of `{"health_check": true}` (the deployment smoke test) before the HTTP chain
 * runs: a probe of every store, 200 or 503 naming the failed check. It reads no business data; the only
 * write is the audit write-path probe's own `SYSTEM#DEPLOY` item.
 */
export const healthCheck = (
  opts: HealthCheckOptions,
): MiddlewareObj<HttpEvent, HttpResult, Error, AppContext> => {
  const { checks, version, logger } = opts;
  const timeoutMs = opts.timeoutMs ?? 3000;

  const healthCheckBefore = async (request: HttpRequest): Promise<HttpResult | undefined> => {
    // Every API request passes here: a property read turns it away before any schema work.
    if ((request.event as { health_check?: unknown } | null)?.health_check !== true) return undefined;
    if (!HealthCheckEventSchema.safeParse(request.event).success) return undefined;
    const { response, failures } = await runHealthChecks(checks, version, timeoutMs, {
      requestId: request.context.awsRequestId,
      now: new Date(),
    });
    if (response.status === 'error') {
      logger.error('Health check failed', { checks: response.checks, errors: failures });
    }
    return jsonResponse(response.status === 'ok' ? 200 : 503, response);
  };

  return { before: healthCheckBefore };
};
