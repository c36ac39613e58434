import { Duration } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import type { Environment } from '../config.ts';
import { emfSum } from './emf-metric.ts';

/**
 * What each service counts by cause (EMF, common/constants/metrics.ts): failures, refusals and changes. What
 * is served, and how fast, is API Gateway's count per route (below), not an EMF line per request.
 */
export const EMF_COUNTS: Record<string, string[]> = {
  'price-fetcher': [
    'AuditWriteFailed',
    'SourceUnavailable',
    'ConfigUnavailable',
    'InternalError',
    'MaintenanceRefused',
    'PriceNotFound',
    'RequestRejected',
    'IdentityRejected',
  ],
  'config-service': [
    'ConfigUpdated',
    'AuditWriteFailed',
    'ConfigUnavailable',
    'InternalError',
    'VersionConflict',
    'RequestRejected',
    'IdentityRejected',
  ],
  authorizer: ['AuthenticationFailed', 'AuthorizationDenied'],
};

export interface ServiceDashboardProps {
  env: Environment;
  api: apigw.RestApi;
  /**
   * Every route the API serves, as the SAM template declares it (`/config/{key}`, not a concrete path), with
   * the function (its `service` dimension) that serves it.
   */
  routes: { method: string; path: string; service: string }[];
}

/**
 * The stage's dashboard. Per route, from API Gateway's detailed metrics (`metricsEnabled` on the stage):
 * served = Count − 4XXError − 5XXError, which a function's fail-closed audit makes exact (a 200 leaves only
 * after its SUCCESS audit item is stored; a withheld answer is a 5xx), beside the refused (4xx) and the
 * failed (5xx; on GET /price, with the 503 MAINTENANCE refusals among them shown apart), the gateway's p50/p99
 * latency and the integration's p99 (the function's part, without the authorizer). Then each service's EMF
 * counts by cause.
 */
export class ServiceDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: ServiceDashboardProps) {
    super(scope, id);
    const { env, api, routes } = props;
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `pricing-${env}`,
      defaultInterval: Duration.hours(3),
    });
    const period = Duration.minutes(1);
    const gateway = (metricName: string, route: { method: string; path: string }, statistic: string) =>
      new cloudwatch.Metric({
        namespace: 'AWS/ApiGateway',
        metricName,
        dimensionsMap: { ApiName: api.restApiName, Stage: env, Resource: route.path, Method: route.method },
        statistic,
        period,
      });

    const emf = (service: string, metricName: string, label = metricName) =>
      emfSum(env, service, metricName, period, label);

    for (const route of routes) {
      const name = `${route.method} ${route.path}`;
      const refused = gateway('4XXError', route, 'Sum').with({ label: 'refused (4xx)' });
      const failed = gateway('5XXError', route, 'Sum').with({ label: 'failed (5xx)' });
      // price-fetcher's 503 MAINTENANCE is among its 5xx: the switch working, not a failure (alarms.ts).
      const maintenance =
        route.service === 'price-fetcher'
          ? [emf(route.service, 'MaintenanceRefused', 'of the 5xx, 503 MAINTENANCE')]
          : [];
      this.dashboard.addWidgets(
        new cloudwatch.GraphWidget({
          title: `${name}: served, refused, failed`,
          width: 12,
          left: [
            new cloudwatch.MathExpression({
              expression: 'requests - FILL(refused, 0) - FILL(failed, 0)',
              label: 'served (2xx)',
              period,
              usingMetrics: { requests: gateway('Count', route, 'Sum'), refused, failed },
            }),
            refused,
            failed,
            ...maintenance,
          ],
        }),
        new cloudwatch.GraphWidget({
          title: `${name}: latency (ms)`,
          width: 12,
          left: [
            ...['p50', 'p99'].map((statistic) =>
              gateway('Latency', route, statistic).with({ label: statistic }),
            ),
            gateway('IntegrationLatency', route, 'p99').with({ label: 'p99, the function (integration)' }),
          ],
        }),
      );
    }

    this.dashboard.addWidgets(
      ...Object.entries(EMF_COUNTS).map(
        ([service, metrics]) =>
          new cloudwatch.GraphWidget({
            title: `${service}: counted by cause (EMF)`,
            width: 8,
            left: metrics.map((metricName) => emf(service, metricName)),
          }),
      ),
    );
  }
}
