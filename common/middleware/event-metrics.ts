import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { MiddlewareObj } from '@middy/core';
import type { AppContext, HttpEvent, HttpRequest, HttpResult } from '../types/lambda.ts';

/**
 * Prints a request's EMF line only when the request counted something: a failure or refusal by its cause,
 * or a change (docs/compliance.md, "Logs and metrics"). Requests served and their latency are not counted
 * here: API Gateway's detailed metrics (Count, 4XXError, 5XXError and Latency per route) and Lambda's
 * Duration count every one of them already, and a 200 leaves the function only after its SUCCESS audit item
 * is stored, so the gateway's 2xx is the served count. The cold start is counted on the first invocation.
 *
 * Powertools' `logMetrics` flushes on every request and warns ("No application metrics to publish") when
 * there is nothing to flush, so a success would print either a line nobody needs or a warning; this is the
 * authorizer's rule (count the refusals, not the Allows) for the HTTP chain.
 */
export const eventMetrics = (metrics: Metrics): MiddlewareObj<HttpEvent, HttpResult, Error, AppContext> => {
  // A request with nothing counted has nothing else to clear either: Lambda code sets no per-request
  // dimension or metadata (an ESLint rule, eslint.config.js), which only a publish would clear.
  const flush = (): void => {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  };
  const eventMetricsBefore = (request: HttpRequest): void => {
    // Counted outside any request (a config read at init that failed) is printed as this request begins, so
    // that it is neither held back by an early answer (a health check skips every `after`) nor put on this
    // request's line.
    flush();
    metrics.captureColdStartMetric(request.context.functionName);
  };
  return { before: eventMetricsBefore, after: flush, onError: flush };
};
