import { ErrorCode } from '#common/constants/error-codes.ts';
import type { AppError } from '#common/errors/app-errors.ts';
import {
  AuditUnavailableError,
  ConfigNotFoundError,
  ConfigUnavailableError,
  InternalError,
  MethodNotAllowedError,
  NotFoundError,
  PriceNotFoundError,
  RouteNotFoundError,
  SourceUnavailableError,
  ValidationError,
  VersionConflictError,
} from '#common/errors/app-errors.ts';
import type { ApiOperation } from './operations.ts';

// TODO(main): read status and message from common/errors/error-policy.ts once merged.
const SAMPLE: Readonly<Record<ErrorCode, AppError>> = {
  [ErrorCode.ValidationError]: new ValidationError([]),
  [ErrorCode.MethodNotAllowed]: new MethodNotAllowedError('Method not allowed.'),
  [ErrorCode.RouteNotFound]: new RouteNotFoundError('No route serves this request.'),
  [ErrorCode.PriceNotFound]: new PriceNotFoundError('No price for this product.'),
  [ErrorCode.ConfigNotFound]: new ConfigNotFoundError('There is no such configuration key.'),
  [ErrorCode.NotFound]: new NotFoundError('The item does not exist.'),
  [ErrorCode.VersionConflict]: new VersionConflictError('The version you changed is no longer the latest.'),
  [ErrorCode.SourceUnavailable]: new SourceUnavailableError(),
  [ErrorCode.ConfigUnavailable]: new ConfigUnavailableError(),
  [ErrorCode.AuditUnavailable]: new AuditUnavailableError(),
  [ErrorCode.InternalError]: new InternalError(),
};

/** The HTTP status of each stable error code. */
export const ERROR_STATUS = Object.fromEntries(
  Object.entries(SAMPLE).map(([code, error]) => [code, error.statusCode]),
) as Readonly<Record<ErrorCode, number>>;

const EXAMPLE_REQUEST_ID = 'c0a8012e-7d3b-4b7e-9b1a-5f3d2e1c0b9a';

/** A realistic body for one code on one route; a validation error names a field of that route. */
export const errorExample = (code: ErrorCode, operation: ApiOperation) => {
  const field = operation.path === '/price' ? 'id' : operation.method === 'put' ? 'value' : 'key';
  return {
    error: {
      code,
      message: SAMPLE[code].publicMessage,
      requestId: EXAMPLE_REQUEST_ID,
      ...(code === ErrorCode.ValidationError ? { details: [{ field, issue: 'is required' }] } : {}),
    },
  };
};
