import type { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { METRICS_NAMESPACE, type Environment } from '../config.ts';

/**
 * One EMF count a function prints (common/constants/metrics.ts), summed per `period`: namespace
 * PricingService, dimensions `service` (POWERTOOLS_SERVICE_NAME) and `stage`, as Powertools prints them.
 */
export const emfSum = (
  env: Environment,
  service: string,
  metricName: string,
  period: Duration,
  label?: string,
): cloudwatch.Metric =>
  new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { service, stage: env },
    statistic: 'Sum',
    period,
    ...(label === undefined ? {} : { label }),
  });
