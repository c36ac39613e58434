import { AuditStatus } from '../constants/audit.ts';
import { ErrorCode } from '../constants/error-codes.ts';
import { MetricName } from '../constants/metrics.ts';

/** One invalid field of a request. `issue` is our own wording: it never quotes the caller's value. */
export interface ErrorDetail {
  field: string;
  issue: string;
}

interface AppErrorOptions {
  cause?: unknown;
  details?: ErrorDetail[];
}

/**
 * Base of every error the business code throws. The HTTP error handler turns it into a response;
 * nothing else builds error responses. `expose` is true below 500: only then is `message` shown to callers.
 */
export class AppError extends Error {
  // Names are literals, not new.target.name: the production build does not keep class names (keepNames
  // costs cold-start time), and logs and metrics must still say which error it was.
  override name = 'AppError';
  readonly code: string = ErrorCode.InternalError;
  readonly statusCode: number = 500;
  readonly auditStatus: AuditStatus = AuditStatus.Error;
  readonly metric: string = MetricName.InternalError;
  readonly details: ErrorDetail[] | undefined;

  constructor(message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.details = options.details;
  }

  get expose(): boolean {
    return this.statusCode < 500;
  }

  /** What callers see. Below 500 it is the message; above, a fixed text that cannot carry internals. */
  get publicMessage(): string {
    return this.expose ? this.message : 'An internal error occurred.';
  }
}

export class ValidationError extends AppError {
  override name = 'ValidationError';
  override readonly code = ErrorCode.ValidationError;
  override readonly statusCode = 400;
  override readonly auditStatus = AuditStatus.Rejected;
  override readonly metric = MetricName.RequestRejected;

  constructor(details: ErrorDetail[], message = 'The request is invalid.') {
    super(message, { details });
  }
}

export class MethodNotAllowedError extends AppError {
  override name = 'MethodNotAllowedError';
  override readonly code = ErrorCode.MethodNotAllowed;
  override readonly statusCode = 405;
  override readonly auditStatus = AuditStatus.Rejected;
  override readonly metric = MetricName.RequestRejected;
}

/** A direct invoke (or a route the template added without code) that the function does not serve. */
export class RouteNotFoundError extends AppError {
  override name = 'RouteNotFoundError';
  override readonly code = ErrorCode.RouteNotFound;
  override readonly statusCode = 404;
  override readonly auditStatus = AuditStatus.Rejected;
  override readonly metric = MetricName.RequestRejected;
}

export class PriceNotFoundError extends AppError {
  override name = 'PriceNotFoundError';
  override readonly code = ErrorCode.PriceNotFound;
  override readonly statusCode = 404;
  override readonly auditStatus = AuditStatus.NotFound;
  override readonly metric = MetricName.PriceNotFound;
}

export class ConfigNotFoundError extends AppError {
  override name = 'ConfigNotFoundError';
  override readonly code = ErrorCode.ConfigNotFound;
  override readonly statusCode = 404;
  override readonly auditStatus = AuditStatus.NotFound;
  override readonly metric = MetricName.RequestRejected;
}

/** The item a request names does not exist. The message may name the (validated) id, never other input. */
export class NotFoundError extends AppError {
  override name = 'NotFoundError';
  override readonly code = ErrorCode.NotFound;
  override readonly statusCode = 404;
  override readonly auditStatus = AuditStatus.NotFound;
  override readonly metric = MetricName.RequestRejected;
}

export class VersionConflictError extends AppError {
  override name = 'VersionConflictError';
  override readonly code = ErrorCode.VersionConflict;
  override readonly statusCode = 409;
  override readonly auditStatus = AuditStatus.Rejected;
  override readonly metric = MetricName.VersionConflict;
}

/** The source of truth (Oracle, or the embedded engine locally) could not be reached in time. */
export class SourceUnavailableError extends AppError {
  override name = 'SourceUnavailableError';
  override readonly code = ErrorCode.SourceUnavailable;
  override readonly statusCode = 503;
  override readonly metric = MetricName.SourceUnavailable;

  constructor(cause?: unknown) {
    super('The price source is temporarily unavailable.', { cause });
  }

  override get publicMessage(): string {
    return 'The price source is temporarily unavailable. Retry later.';
  }
}

/** The config table could not be read or written in time (or at all). */
export class ConfigUnavailableError extends AppError {
  override name = 'ConfigUnavailableError';
  override readonly code = ErrorCode.ConfigUnavailable;
  override readonly statusCode = 503;
  override readonly metric = MetricName.ConfigUnavailable;

  constructor(cause?: unknown) {
    super('The configuration store is temporarily unavailable.', { cause });
  }

  override get publicMessage(): string {
    return 'The configuration store is temporarily unavailable. Retry later.';
  }
}

/** The audit trail could not be written, so the result is withheld (fail closed). */
export class AuditUnavailableError extends AppError {
  override name = 'AuditUnavailableError';
  override readonly code = ErrorCode.AuditUnavailable;
  override readonly statusCode = 503;
  override readonly metric = MetricName.AuditWriteFailed;

  constructor(cause?: unknown) {
    super('The audit trail is temporarily unavailable; the request was not served.', { cause });
  }

  override get publicMessage(): string {
    return 'The audit trail is temporarily unavailable, so the request was not served. Retry later.';
  }
}

/** Used for anything that is not an AppError: the caller sees a generic message, the log sees the cause. */
export class InternalError extends AppError {
  override name = 'InternalError';
  constructor(cause?: unknown) {
    super('An internal error occurred.', { cause });
  }
}

export const toAppError = (error: unknown): AppError =>
  error instanceof AppError ? error : new InternalError(error);
