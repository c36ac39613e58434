import type { Logger } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj } from '@middy/core';
import { CORRELATION_ID_PATTERN, HttpHeader } from '../constants/http.ts';
import type { AppContext, HttpEvent, HttpRequest, HttpResult } from '../types/lambda.ts';
import { headerValue } from '../http/http-request.ts';
import { createRequestBudget } from '../kernel/request-budget.ts';

interface RequestContextOptions {
  logger: Logger;
  /** What the audit write keeps of every request's time (request-budget.ts). */
  auditReserveMs: number;
}

/**
 * Gives every request a correlation id (a caller's well-formed `x-correlation-id`, else the Lambda request
 * id), puts it on every log line, and returns it and the request id as response headers. (Latency is API
 * Gateway's and Lambda's own metric: event-metrics.ts.) It also starts the request's time budget from the
 * Lambda deadline (`context.budget`); the chain ends it (`requestEnd`, http-chain.ts).
 */
export const requestContext = (
  opts: RequestContextOptions,
): MiddlewareObj<HttpEvent, HttpResult, Error, AppContext> => {
  const { logger } = opts;

  const requestContextBefore = (request: HttpRequest): void => {
    const remaining = request.context.getRemainingTimeInMillis as (() => number) | undefined;
    request.context.budget = createRequestBudget({
      remainingMs: typeof remaining === 'function' ? remaining.call(request.context) : undefined,
      auditReserveMs: opts.auditReserveMs,
    });
    const offered = headerValue(request.event, HttpHeader.correlationId);
    const correlationId =
      offered !== undefined && CORRELATION_ID_PATTERN.test(offered) ? offered : request.context.awsRequestId;
    request.context.correlationId = correlationId;
    logger.appendKeys({ correlationId });
  };

  const requestContextAfter = (request: HttpRequest): void => {
    if (!request.response) return;
    request.response.headers = {
      ...request.response.headers,
      [HttpHeader.requestId]: request.context.awsRequestId,
      [HttpHeader.correlationId]: request.context.correlationId ?? request.context.awsRequestId,
    };
  };

  return { before: requestContextBefore, after: requestContextAfter, onError: requestContextAfter };
};
