import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { METRICS_NAMESPACE } from '../constants/metrics.ts';
import type { BaseEnv } from './env.ts';

/** Structured JSON logger (Powertools). Service name and stage are on every line. */
export const createLogger = (
  env: Pick<BaseEnv, 'POWERTOOLS_SERVICE_NAME' | 'STAGE' | 'LOG_LEVEL' | 'APP_VERSION'>,
) =>
  new Logger({
    serviceName: env.POWERTOOLS_SERVICE_NAME,
    logLevel: env.LOG_LEVEL,
    persistentKeys: { stage: env.STAGE, version: env.APP_VERSION },
  });

/** CloudWatch EMF metrics (Powertools): printed to stdout, no PutMetricData calls. */
export const createMetrics = (env: Pick<BaseEnv, 'POWERTOOLS_SERVICE_NAME' | 'STAGE'>) =>
  new Metrics({
    namespace: METRICS_NAMESPACE,
    serviceName: env.POWERTOOLS_SERVICE_NAME,
    defaultDimensions: { stage: env.STAGE },
  });
