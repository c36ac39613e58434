import type { Logger } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj } from '@middy/core';
import type { HealthResponse } from '../models/health.ts';
import { HealthCheckEventSchema } from '../models/health.ts';
import type { AppContext, HttpEvent, HttpRequest, HttpResult } from '../types/lambda.ts';
import { jsonResponse } from '../http/http-response.ts';
import { withDeadline } from '../clients/sql/sql-client.ts';

/** A named read-only probe of one dependency. It throws when the dependency is not usable. */
export type HealthProbe = () => Promise<void>;

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
): Promise<{ response: HealthResponse; failures: Record<string, unknown> }> => {
  const names = Object.keys(checks);
  const results = await Promise.allSettled(
    names.map((name) => withDeadline(checks[name]!(), timeoutMs, () => undefined, `health check ${name}`)),
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
 * Answers a direct invoke of `{"health_check": true}` before the HTTP chain runs: read-only probes of
 * every store, 200 or 503 naming the failed check. Not audited, because it reads no business data.
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
    const { response, failures } = await runHealthChecks(checks, version, timeoutMs);
    if (response.status === 'error') {
      logger.error('Health check failed', { checks: response.checks, errors: failures });
    }
    return jsonResponse(response.status === 'ok' ? 200 : 503, response);
  };

  return { before: healthCheckBefore };
};
