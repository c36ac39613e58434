import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MiddlewareObj } from '@middy/core';
import type { ErrorBody } from '../models/error.ts';
import type { AppContext, HttpEvent, HttpRequest, HttpResult } from '../types/lambda.ts';
import { AuditStatus } from '../constants/audit.ts';
import { toAppError } from '../errors/app-errors.ts';
import { jsonResponse } from '../http/http-response.ts';

/**
 * The one place errors become responses: `{"error":{"code","message","requestId","details?"}}`.
 * Internals (stack, SQL, driver text) go to the log only; a 5xx body carries a fixed message.
 */
export const httpErrorHandler = (opts: {
  logger: Logger;
  metrics?: Metrics;
}): MiddlewareObj<HttpEvent, HttpResult, Error, AppContext> => {
  const { logger, metrics } = opts;

  const httpErrorHandlerOnError = (request: HttpRequest): void => {
    if (request.response !== undefined && request.response !== null) return;
    const error = toAppError(request.error);
    // A refusal (maintenance is one, at 503) is the service working as set, not a failure.
    if (error.statusCode >= 500 && error.auditStatus !== AuditStatus.Rejected) {
      logger.error('Request failed', { errorCode: error.code, error: request.error ?? undefined });
    } else {
      logger.info('Request refused', {
        errorCode: error.code,
        statusCode: error.statusCode,
        fields: error.details?.map((detail) => detail.field),
      });
    }
    metrics?.addMetric(error.metric, MetricUnit.Count, 1);
    const body: ErrorBody = {
      error: {
        code: error.code,
        message: error.publicMessage,
        requestId: request.context.awsRequestId,
        ...(error.details ? { details: error.details } : {}),
      },
    };
    const response = jsonResponse(error.statusCode, body);
    request.response = error.headers
      ? { ...response, headers: { ...response.headers, ...error.headers } }
      : response;
  };

  return { onError: httpErrorHandlerOnError };
};
