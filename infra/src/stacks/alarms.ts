import { Duration } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { Environment, StageLimits } from '../config.ts';
import { emfSum } from './emf-metric.ts';

export interface ServiceAlarmsProps {
  env: Environment;
  key: kms.IKey;
  limits: StageLimits;
  api: apigw.RestApi;
  aliases: Record<string, lambda.Alias>;
  alarmEmail: string | undefined;
}

/**
 * EMF metrics the functions print (common/constants/metrics.ts, namespace PricingService, dimensions
 * `service` = POWERTOOLS_SERVICE_NAME and `stage`) that page someone as soon as one happens, by service.
 */
export const EMF_ALARMS: { service: string; metric: string; why: string }[] = [
  {
    service: 'price-fetcher',
    metric: 'AuditWriteFailed',
    why: 'AU-5(a): an audit write failed; the price was withheld (503)',
  },
  {
    service: 'config-service',
    metric: 'AuditWriteFailed',
    why: 'AU-5(a): an audit write failed; the configuration was withheld (503)',
  },
  { service: 'price-fetcher', metric: 'SourceUnavailable', why: 'the Oracle source is down or hanging' },
  { service: 'config-service', metric: 'ConfigUnavailable', why: 'the config table is unavailable' },
  {
    service: 'price-fetcher',
    metric: 'ConfigUnavailable',
    why: 'the config table is unreadable; prices are served with the last known or default settings',
  },
  // price-fetcher's MaintenanceRefused (503 while maintenanceMode is on) is informational: no alarm.
];

/** Every alarm of the stage goes to one KMS-encrypted, TLS-only SNS topic. */
export class ServiceAlarms extends Construct {
  readonly topic: sns.Topic;
  private readonly byService = new Map<string, cloudwatch.IAlarm[]>();

  constructor(scope: Construct, id: string, props: ServiceAlarmsProps) {
    super(scope, id);
    const { env, limits } = props;
    this.topic = new sns.Topic(this, 'Topic', {
      topicName: `pricing-alarms-${env}`,
      displayName: `Pricing ${env} alarms`,
      masterKey: props.key,
      enforceSSL: true,
    });
    if (props.alarmEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    const action = new actions.SnsAction(this.topic);
    const wire = (service: string | undefined, alarm: cloudwatch.Alarm): void => {
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
      if (service) this.byService.set(service, [...(this.byService.get(service) ?? []), alarm]);
    };
    /** Alarms when `metric` (a one-minute Sum) counts anything at all; no data is no breach. */
    const anyInAMinute = (
      service: string,
      id: string,
      props: Pick<cloudwatch.AlarmProps, 'alarmName' | 'alarmDescription' | 'metric'>,
    ): void =>
      wire(
        service,
        new cloudwatch.Alarm(this, id, {
          ...props,
          threshold: 0,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
      );

    for (const { service, metric, why } of EMF_ALARMS) {
      anyInAMinute(service, `${service}-${metric}`, {
        alarmName: `pricing-${env}-${service}-${metric}`,
        alarmDescription: `${metric} > 0 for ${service} (${env}): ${why}.`,
        metric: emfSum(env, service, metric, Duration.minutes(1)),
      });
    }

    // A spike of refused tokens: credential stuffing, a broken client or a rotated signing key.
    wire(
      undefined,
      new cloudwatch.Alarm(this, 'AuthenticationFailedSpike', {
        alarmName: `pricing-${env}-authorizer-AuthenticationFailed`,
        alarmDescription: `More than ${limits.authFailuresPer5Min} refused tokens in 5 minutes (${env}).`,
        metric: emfSum(env, 'authorizer', 'AuthenticationFailed', Duration.minutes(5)),
        threshold: limits.authFailuresPer5Min,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );

    wire(
      undefined,
      new cloudwatch.Alarm(this, 'Api5xxRate', {
        alarmName: `pricing-${env}-api-5xx-rate`,
        alarmDescription: `More than ${limits.api5xxRate * 100}% of API requests answered 5xx over 5 minutes, maintenance refusals left out (${env}).`,
        // The 5xx rate, less price-fetcher's 503 MAINTENANCE answers: switching maintenanceMode on is the
        // service working as set, and must neither page anyone nor hide real 5xx during the window.
        metric: new cloudwatch.MathExpression({
          expression: 'IF(requests > 0, (errors - FILL(maintenance, 0)) / requests, 0)',
          label: '5xx rate without maintenance refusals',
          period: Duration.minutes(5),
          usingMetrics: {
            errors: props.api.metricServerError({ statistic: 'Sum', period: Duration.minutes(5) }),
            requests: props.api.metricCount({ statistic: 'Sum', period: Duration.minutes(5) }),
            maintenance: emfSum(env, 'price-fetcher', 'MaintenanceRefused', Duration.minutes(5)),
          },
        }),
        threshold: limits.api5xxRate,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
    wire(
      undefined,
      new cloudwatch.Alarm(this, 'ApiLatencyP99', {
        alarmName: `pricing-${env}-api-latency-p99`,
        alarmDescription: `API p99 latency above ${limits.p99LatencyMs} ms for 10 minutes (${env}).`,
        metric: props.api.metricLatency({ statistic: 'p99', period: Duration.minutes(5) }),
        threshold: limits.p99LatencyMs,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 2,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );

    for (const [service, alias] of Object.entries(props.aliases)) {
      anyInAMinute(service, `${service}-Throttles`, {
        alarmName: `pricing-${env}-${service}-throttles`,
        alarmDescription: `${service} (${env}) throttled: its reserved concurrency is exhausted.`,
        metric: alias.metricThrottles({ statistic: 'Sum', period: Duration.minutes(1) }),
      });
      anyInAMinute(service, `${service}-Errors`, {
        alarmName: `pricing-${env}-${service}-errors`,
        alarmDescription: `${service} (${env}) invocation errors (unhandled, timeouts).`,
        metric: alias.metricErrors({ statistic: 'Sum', period: Duration.minutes(1) }),
      });
      wire(
        service,
        new cloudwatch.Alarm(this, `${service}-DurationP99`, {
          alarmName: `pricing-${env}-${service}-duration-p99`,
          alarmDescription: `${service} (${env}) p99 duration above ${limits.p99LatencyMs} ms.`,
          metric: alias.metricDuration({ statistic: 'p99', period: Duration.minutes(1) }),
          threshold: limits.p99LatencyMs,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 2,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
      );
    }
  }

  /** The alarms that roll back a canary of one function. */
  rollbackAlarms(service: string): cloudwatch.IAlarm[] {
    return this.byService.get(service) ?? [];
  }
}
