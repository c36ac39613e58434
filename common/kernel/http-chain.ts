import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import httpCors from '@middy/http-cors';
import httpSecurityHeaders from '@middy/http-security-headers';
import type { AppContext, HttpEvent, HttpHandler, HttpResult } from '../types/lambda.ts';
import type { SqlClient } from '../clients/sql/sql-client.ts';
import type { AuditOptions } from '../middleware/audit.ts';
import { audit } from '../middleware/audit.ts';
import { dbConnection } from '../middleware/db-connection.ts';
import { eventMetrics } from '../middleware/event-metrics.ts';
import type { HealthProbe } from '../middleware/health-check.ts';
import { healthCheck } from '../middleware/health-check.ts';
import { httpErrorHandler } from '../middleware/http-error-handler.ts';
import { identity } from '../middleware/identity.ts';
import { requestContext } from '../middleware/request-context.ts';

/**
 * The OWASP REST set (HSTS, nosniff, frame DENY, no-referrer; CSP is set with the JSON body). The
 * browser-document headers Middy also offers (COEP, Permissions-Policy, ...) mean nothing on a JSON API.
 */
const API_SECURITY_HEADERS = {
  contentSecurityPolicy: false,
  crossOriginEmbedderPolicy: false,
  crossOriginOpenerPolicy: false,
  crossOriginResourcePolicy: false,
  dnsPrefetchControl: false,
  downloadOptions: false,
  originAgentCluster: false,
  permissionsPolicy: false,
  permittedCrossDomainPolicies: false,
  reportingEndpoints: false,
  reportTo: false,
  xssProtection: false,
} as const;

export interface HttpChainOptions {
  logger: Logger;
  metrics: Metrics;
  /** Allowed origins: one origin, `*`, or a comma-separated list. */
  corsOrigin: string;
  audit: Omit<AuditOptions, 'logger' | 'metrics'>;
  health: { checks: Record<string, HealthProbe>; version: string };
  /** Present for functions that read the SQL source. */
  sql?: SqlClient;
  /** What the audit write keeps of every request's time (request-budget.ts). */
  auditReserveMs: number;
  /** The alias API Gateway invokes; with it, a caller is trusted only through that alias (identity.ts). */
  apiAlias?: string | undefined;
}

/**
 * The standard chain every HTTP function uses. Middy runs `before` in this order and `after`/`onError`
 * in reverse, so the order below is deliberate:
 * - logger and metrics outermost: context on every line, a request's counts (if any) flushed last;
 * - the health check answers direct invokes before any HTTP concern (and is not audited);
 * - CORS and security headers outside the error handler, so error responses get them too;
 * - the audit inside the error handler, so it sees the error and a failed audit write becomes a 503;
 * - the identity check inside the audit, so a request refused for who sent it is audited too;
 * - the connection innermost, released before the audit is written.
 */
export const createHttpHandler = (handler: HttpHandler, opts: HttpChainOptions) => {
  const { logger, metrics } = opts;
  const origins = opts.corsOrigin
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);

  // The budget's backstop, not Middy's: Middy's early timeout fires a fixed time before the deadline (5 ms by
  // default, too late for any audit write) and, with a short deadline, at once, ahead of the budget's own
  // aborts. The budget's fires half an answer allowance after the work share ends, and never sooner: a
  // handler still waiting then (on something no signal bounds) is cut with WorkShareSpentError, 500
  // INTERNAL_ERROR, and the audit write keeps its reserve, instead of the request running into the timeout.
  const bounded: HttpHandler = (event, context) => context.budget.bound(handler(event, context));
  const chain = middy<HttpEvent, HttpResult, Error, AppContext>(bounded, {
    timeoutEarlyInMillis: 0,
    // Runs once the answer is final, on every path (early answers and errors included): the request's
    // budget clears its timers and aborts any store call still running, so nothing outlives the request.
    requestEnd: (request) => (request.context as Partial<AppContext>).budget?.end(),
  })
    // logEvent is pinned off: POWERTOOLS_LOGGER_LOG_EVENT=true must not put whole events (headers,
    // bodies, tokens) in the log of a regulated service.
    .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }))
    .use(eventMetrics(metrics))
    .use(requestContext({ logger, auditReserveMs: opts.auditReserveMs }))
    .use(healthCheck({ ...opts.health, logger }))
    // A browser on another origin may read only the response headers CORS exposes: the web app shows the
    // request id, which support staff need; Retry-After says when a 503 MAINTENANCE may be asked again.
    .use(httpCors({ origins, maxAge: 600, exposeHeaders: 'x-request-id,x-correlation-id,retry-after' }))
    .use(httpSecurityHeaders(API_SECURITY_HEADERS))
    .use(httpErrorHandler({ logger, metrics }))
    .use(audit({ ...opts.audit, logger, metrics }))
    .use(identity({ apiAlias: opts.apiAlias }));
  return opts.sql ? chain.use(dbConnection({ client: opts.sql })) : chain;
};
