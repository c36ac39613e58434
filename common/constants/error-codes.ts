/** Stable error codes returned in `{"error":{"code": ...}}`. Clients and dashboards depend on them. */
export const ErrorCode = {
  ValidationError: 'VALIDATION_ERROR',
  /** The event carries no authorizer context: no verified caller (docs/auth.md). */
  Unauthenticated: 'UNAUTHENTICATED',
  /** The deprecated `userId` query parameter names someone other than the token's subject. */
  IdentityMismatch: 'IDENTITY_MISMATCH',
  MethodNotAllowed: 'METHOD_NOT_ALLOWED',
  UnsupportedMediaType: 'UNSUPPORTED_MEDIA_TYPE',
  PayloadTooLarge: 'PAYLOAD_TOO_LARGE',
  RouteNotFound: 'ROUTE_NOT_FOUND',
  PriceNotFound: 'PRICE_NOT_FOUND',
  ConfigNotFound: 'CONFIG_NOT_FOUND',
  /** A function's own item does not exist (functions scaffolded by `node setup.js new-function`). */
  NotFound: 'NOT_FOUND',
  VersionConflict: 'VERSION_CONFLICT',
  SourceUnavailable: 'SOURCE_UNAVAILABLE',
  ConfigUnavailable: 'CONFIG_UNAVAILABLE',
  AuditUnavailable: 'AUDIT_UNAVAILABLE',
  /** maintenanceMode is on: price-fetcher serves no price, so clients show their maintenance notice. */
  Maintenance: 'MAINTENANCE',
  InternalError: 'INTERNAL_ERROR',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];
