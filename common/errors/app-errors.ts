import { ErrorCode } from '../constants/error-codes.ts';
import type { ErrorPolicy } from './error-policy.ts';
import { ERROR_POLICY } from './error-policy.ts';

/** One invalid field of a request. `issue` is our own wording: it never quotes the caller's value. */
export interface ErrorDetail {
  field: string;
  issue: string;
}

export interface AppErrorOptions {
  cause?: unknown;
  details?: ErrorDetail[];
  /** Response headers the answer needs (`Allow` on a 405). */
  headers?: Record<string, string>;
}

/**
 * Base of every error the business code throws: it names a stable code, and ERROR_POLICY says what that
 * code means (status, audit status, metric, public message). The HTTP error handler turns it into a
 * response; nothing else builds error responses. `expose` is true below 500: only then is `message` shown.
 */
export class AppError extends Error {
  // Names are literals, not new.target.name: the production build does not keep class names (keepNames
  // costs cold-start time), and logs and metrics must still say which error it was.
  override name = 'AppError';
  readonly code: ErrorCode;
  readonly details: ErrorDetail[] | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(code: ErrorCode, message?: string, options: AppErrorOptions = {}) {
    super(
      message ?? ERROR_POLICY[code].publicMessage,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.code = code;
    this.details = options.details;
    this.headers = options.headers;
  }

  get policy(): ErrorPolicy {
    return ERROR_POLICY[this.code];
  }

  get statusCode(): number {
    return this.policy.statusCode;
  }

  get auditStatus(): ErrorPolicy['auditStatus'] {
    return this.policy.auditStatus;
  }

  get metric(): ErrorPolicy['metric'] {
    return this.policy.metric;
  }

  get expose(): boolean {
    return this.statusCode < 500;
  }

  /** What callers see. Below 500 it is the message; from 500 up, the policy's text, which carries no internals. */
  get publicMessage(): string {
    return this.expose ? this.message : this.policy.publicMessage;
  }
}

export class ValidationError extends AppError {
  override name = 'ValidationError';

  constructor(details: ErrorDetail[], message?: string) {
    super(ErrorCode.ValidationError, message, { details });
  }
}

/** The route exists but not for this method; `allowed` becomes the response's `Allow` header. */
export class MethodNotAllowedError extends AppError {
  override name = 'MethodNotAllowedError';
  readonly allowed: readonly string[];

  constructor(allowed: readonly string[]) {
    super(ErrorCode.MethodNotAllowed, `Method not allowed; use ${allowed.join(' or ')}.`, {
      headers: { allow: allowed.join(', ') },
    });
    this.allowed = allowed;
  }
}

/** A body sent with a media type the route does not read. */
export class UnsupportedMediaTypeError extends AppError {
  override name = 'UnsupportedMediaTypeError';

  constructor(field: string, expected: string) {
    super(ErrorCode.UnsupportedMediaType, `The request body must be sent as ${expected}.`, {
      details: [{ field, issue: `must be ${expected}` }],
    });
  }
}

/** A body larger than the route accepts. */
export class PayloadTooLargeError extends AppError {
  override name = 'PayloadTooLargeError';

  constructor(maxBytes: number) {
    super(ErrorCode.PayloadTooLarge, undefined, {
      details: [{ field: 'body', issue: `must be at most ${maxBytes} bytes` }],
    });
  }
}

/** No verified caller: the event has no authorizer context (a route without the authorizer, a direct invoke). */
export class UnauthenticatedError extends AppError {
  override name = 'UnauthenticatedError';

  constructor() {
    super(ErrorCode.Unauthenticated, undefined, { headers: { 'www-authenticate': 'Bearer' } });
  }
}

/** The detail of an IDENTITY_MISMATCH: fixed wording, never the value the caller sent. */
export const IDENTITY_MISMATCH_ISSUE = 'must be the authenticated caller';

/** The deprecated `userId` query parameter is not the token's subject. */
export class IdentityMismatchError extends AppError {
  override name = 'IdentityMismatchError';

  constructor() {
    super(ErrorCode.IdentityMismatch, undefined, {
      details: [{ field: 'userId', issue: IDENTITY_MISMATCH_ISSUE }],
    });
  }
}

/** A direct invoke (or a route the template added without code) that the function does not serve. */
export class RouteNotFoundError extends AppError {
  override name = 'RouteNotFoundError';

  constructor(message?: string) {
    super(ErrorCode.RouteNotFound, message);
  }
}

/** The item a request names does not exist. The message may name the (validated) id, never other input. */
export class NotFoundError extends AppError {
  override name = 'NotFoundError';

  constructor(message?: string) {
    super(ErrorCode.NotFound, message);
  }
}

/** A data source (Oracle, or the embedded engine locally) could not be reached or answered in time. */
export class SourceUnavailableError extends AppError {
  override name = 'SourceUnavailableError';

  constructor(cause?: unknown) {
    super(ErrorCode.SourceUnavailable, 'The data source is temporarily unavailable.', { cause });
  }
}

/** The audit trail could not be written, so the result is withheld (fail closed). */
export class AuditUnavailableError extends AppError {
  override name = 'AuditUnavailableError';

  constructor(cause?: unknown) {
    super(
      ErrorCode.AuditUnavailable,
      'The audit trail is temporarily unavailable; the request was not served.',
      {
        cause,
      },
    );
  }
}

/** Used for anything that is not an AppError: the caller sees a generic message, the log sees the cause. */
export class InternalError extends AppError {
  override name = 'InternalError';

  constructor(cause?: unknown) {
    super(ErrorCode.InternalError, undefined, { cause });
  }
}

export const toAppError = (error: unknown): AppError =>
  error instanceof AppError ? error : new InternalError(error);
