/** Stable error codes returned in `{"error":{"code": ...}}`. Clients and dashboards depend on them. */
export const ErrorCode = {
  ValidationError: 'VALIDATION_ERROR',
  MethodNotAllowed: 'METHOD_NOT_ALLOWED',
  PriceNotFound: 'PRICE_NOT_FOUND',
  ConfigNotFound: 'CONFIG_NOT_FOUND',
  VersionConflict: 'VERSION_CONFLICT',
  SourceUnavailable: 'SOURCE_UNAVAILABLE',
  AuditUnavailable: 'AUDIT_UNAVAILABLE',
  InternalError: 'INTERNAL_ERROR',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];
