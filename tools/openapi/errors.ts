import { ErrorCode } from '#common/constants/error-codes.ts';
import { ERROR_POLICY } from '#common/errors/error-policy.ts';
import type { ApiOperation } from './operations.ts';

/** The HTTP status of each stable error code: the one error policy the error handler applies. */
export const statusOf = (code: ErrorCode): number => ERROR_POLICY[code].statusCode;

/** Codes every function route can answer with: identity refusals inside the function, an outage. */
export const errorsOnEveryRoute = (): ErrorCode[] => [
  ErrorCode.ValidationError,
  // Identity refusals a function makes itself (no authorizer context, a userId that is not the caller).
  ...(Object.keys(ERROR_POLICY) as ErrorCode[]).filter((code) => [401, 403].includes(statusOf(code))),
  ErrorCode.AuditUnavailable,
  ErrorCode.InternalError,
];

/** A response header, as OpenAPI writes it. */
export interface HeaderDoc {
  description: string;
  required?: boolean;
  schema: { type: 'string' | 'integer'; minimum?: number; pattern?: string; examples?: unknown[] };
}

/**
 * Headers that come with one error code only. A response object is per status, so the header is listed on
 * the status and its description names the code it comes with.
 */
export const ERROR_HEADERS: Partial<Record<ErrorCode, Record<string, HeaderDoc>>> = {
  [ErrorCode.Maintenance]: {
    'retry-after': {
      description:
        'Only with `MAINTENANCE`: whole seconds to wait before asking again (at least 1). It is how often ' +
        'each price-fetcher container reads the configuration (its `CONFIG_CACHE_SECONDS`, 60 by default), ' +
        'so by then the container has read `maintenanceMode` again.',
      schema: { type: 'integer', minimum: 1, examples: [60] },
    },
  },
};

/** Codes of a route that takes a JSON body. */
export const BODY_ERRORS: readonly ErrorCode[] = [ErrorCode.UnsupportedMediaType, ErrorCode.PayloadTooLarge];

const EXAMPLE_REQUEST_ID = 'c0a8012e-7d3b-4b7e-9b1a-5f3d2e1c0b9a';

/** A realistic body for one code on one route; a validation error names a field of that route. */
export const errorExample = (
  code: ErrorCode,
  operation: Pick<ApiOperation, 'path' | 'method' | 'exampleField'>,
) => {
  const field =
    operation.exampleField ??
    (operation.path === '/price' ? 'id' : operation.method === 'put' ? 'value' : 'key');
  return {
    error: {
      code,
      message: ERROR_POLICY[code].publicMessage,
      requestId: EXAMPLE_REQUEST_ID,
      ...(code === ErrorCode.ValidationError ? { details: [{ field, issue: 'is required' }] } : {}),
    },
  };
};
