/** CloudWatch EMF metric names. Dashboards and alarms are built on these exact strings. */
export const MetricName = {
  PriceFetched: 'PriceFetched',
  PriceNotFound: 'PriceNotFound',
  RequestRejected: 'RequestRejected',
  SourceUnavailable: 'SourceUnavailable',
  AuditWriteFailed: 'AuditWriteFailed',
  InternalError: 'InternalError',
  Latency: 'Latency',
  ConfigRead: 'ConfigRead',
  ConfigUpdated: 'ConfigUpdated',
  VersionConflict: 'VersionConflict',
  ConfigUnavailable: 'ConfigUnavailable',
} as const;
export type MetricName = (typeof MetricName)[keyof typeof MetricName];

export const METRICS_NAMESPACE = 'PricingService';
