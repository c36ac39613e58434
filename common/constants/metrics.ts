/**
 * CloudWatch EMF metric names. Dashboards and alarms are built on these exact strings. They count what the
 * platform cannot see: why a request failed or was refused, and changes. Requests served and their latency
 * are API Gateway's and Lambda's own metrics (common/middleware/event-metrics.ts).
 */
export const MetricName = {
  PriceNotFound: 'PriceNotFound',
  RequestRejected: 'RequestRejected',
  SourceUnavailable: 'SourceUnavailable',
  AuditWriteFailed: 'AuditWriteFailed',
  InternalError: 'InternalError',
  ConfigUpdated: 'ConfigUpdated',
  VersionConflict: 'VersionConflict',
  ConfigUnavailable: 'ConfigUnavailable',
  /** A price request answered 503 MAINTENANCE because maintenanceMode is on. */
  MaintenanceRefused: 'MaintenanceRefused',
  /** The authorizer refused a token (401): missing, malformed, forged, expired, wrong iss/aud/sub/roles. */
  AuthenticationFailed: 'AuthenticationFailed',
  /** A valid token whose roles do not allow the route (403), decided by the authorizer. */
  AuthorizationDenied: 'AuthorizationDenied',
  /** A function refused a caller: no authorizer context (401) or a userId that is not the token's (403). */
  IdentityRejected: 'IdentityRejected',
} as const;
export type MetricName = (typeof MetricName)[keyof typeof MetricName];

export const METRICS_NAMESPACE = 'PricingService';
