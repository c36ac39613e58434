import { AuditStatus } from '../constants/audit.ts';
import { ErrorCode } from '../constants/error-codes.ts';
import { MetricName } from '../constants/metrics.ts';

/** What one error code means at every boundary: the HTTP answer, the audit item and the metric. */
export interface ErrorPolicy {
  statusCode: number;
  auditStatus: AuditStatus;
  metric: MetricName;
  /**
   * What callers read. Below 500 it is the default, and an error may say something more precise (which
   * field, which key); from 500 up it is the only text a caller ever sees, so no internals can leak.
   */
  publicMessage: string;
}

const rejected = (
  statusCode: number,
  publicMessage: string,
  metric: MetricName = MetricName.RequestRejected,
) => ({ statusCode, auditStatus: AuditStatus.Rejected, metric, publicMessage }) satisfies ErrorPolicy;

const notFound = (publicMessage: string, metric: MetricName = MetricName.RequestRejected) =>
  ({ statusCode: 404, auditStatus: AuditStatus.NotFound, metric, publicMessage }) satisfies ErrorPolicy;

const unavailable = (publicMessage: string, metric: MetricName) =>
  ({ statusCode: 503, auditStatus: AuditStatus.Error, metric, publicMessage }) satisfies ErrorPolicy;

/**
 * The one error policy: each stable error code to its HTTP status, audit status, metric and public
 * message. The error handler and the audit middleware read it; error classes only name their code.
 */
export const ERROR_POLICY: Readonly<Record<ErrorCode, ErrorPolicy>> = {
  [ErrorCode.ValidationError]: rejected(400, 'The request is invalid.'),
  [ErrorCode.Unauthenticated]: rejected(
    401,
    'The request carries no verified identity.',
    MetricName.IdentityRejected,
  ),
  [ErrorCode.IdentityMismatch]: rejected(
    403,
    'userId does not match the authenticated caller.',
    MetricName.IdentityRejected,
  ),
  [ErrorCode.RouteNotFound]: rejected(404, 'No route serves this request.'),
  [ErrorCode.MethodNotAllowed]: rejected(405, 'Method not allowed.'),
  [ErrorCode.VersionConflict]: rejected(
    409,
    'The version you changed is no longer the latest.',
    MetricName.VersionConflict,
  ),
  [ErrorCode.PayloadTooLarge]: rejected(413, 'The request body is too large.'),
  [ErrorCode.UnsupportedMediaType]: rejected(415, 'The request body must be sent as application/json.'),
  [ErrorCode.PriceNotFound]: notFound('The product has no price.', MetricName.PriceNotFound),
  [ErrorCode.ConfigNotFound]: notFound('There is no such configuration key.'),
  [ErrorCode.NotFound]: notFound('The item does not exist.'),
  [ErrorCode.SourceUnavailable]: unavailable(
    'The data source is temporarily unavailable. Retry later.',
    MetricName.SourceUnavailable,
  ),
  [ErrorCode.ConfigUnavailable]: unavailable(
    'The configuration store is temporarily unavailable. Retry later.',
    MetricName.ConfigUnavailable,
  ),
  [ErrorCode.AuditUnavailable]: unavailable(
    'The audit trail is temporarily unavailable, so the request was not served. Retry later.',
    MetricName.AuditWriteFailed,
  ),
  // Refused by the operators' switch, not failed: audited REJECTED and logged at INFO, never alarmed on.
  [ErrorCode.Maintenance]: rejected(
    503,
    'Prices are unavailable during maintenance. Retry later.',
    MetricName.MaintenanceRefused,
  ),
  [ErrorCode.InternalError]: {
    statusCode: 500,
    auditStatus: AuditStatus.Error,
    metric: MetricName.InternalError,
    publicMessage: 'An internal error occurred.',
  },
};
