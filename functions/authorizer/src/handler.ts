import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import type { APIGatewayAuthorizerResult, Context } from 'aws-lambda';
import { createRemoteJWKSet } from 'jose';
import * as z from 'zod/mini';
import { MetricName } from '#common/constants/metrics.ts';
import { HealthCheckEventSchema } from '#common/models/health.ts';
import { runHealthChecks } from '#common/middleware/health-check.ts';
import { evaluatePolicy, splitMethodArn } from '#common/utils/iam-policy.ts';
import { createLogger, createMetrics } from '#common/utils/observability.ts';
import { TokenAuthorizerEventSchema } from './dto.ts';
import { loadAuthorizerEnv } from './env.ts';
import { buildPolicy } from './policy.ts';
import { AuthenticationError, TokenVerifier } from './service.ts';

// Composition root: once per container. The key set is fetched once and cached by jose; an unknown `kid`
// refetches it at most once per cool-down, so a flood of forged kids cannot turn into a flood of fetches.
const env = loadAuthorizerEnv();
const logger = createLogger(env);
const metrics = createMetrics(env);
const keys = createRemoteJWKSet(new URL(env.JWKS_URL), {
  timeoutDuration: env.JWKS_TIMEOUT_MS,
  cooldownDuration: 30_000,
  cacheMaxAge: 10 * 60_000,
});
const verifier = new TokenVerifier({
  keys,
  issuer: env.TOKEN_ISSUER,
  audience: env.TOKEN_AUDIENCE,
  rolesClaim: env.ROLES_CLAIM,
});

/** Init warm-up: the key set fetched before the first request. A failure is the first request's to retry. */
export const ready: Promise<void> = keys.reload().catch((error: unknown) => {
  logger.warn('Key set not reachable at init; the first request will try again', {
    errorName: (error as Error)?.name,
  });
});

/**
 * Counts one refusal and flushes it at once. Most invocations are Allows with nothing to count: flushing an
 * empty buffer on each (logMetrics) would print Powertools' "No application metrics" warning every time.
 */
const count = (name: string): void => {
  metrics.addMetric(name, MetricUnit.Count, 1);
  metrics.publishStoredMetrics();
};

/** What API Gateway turns into 401: the error message must be exactly `Unauthorized`. */
const unauthorized = (): Error => new Error('Unauthorized');

/** `GET /config/x`: which request was refused, for the log line (never the token, never a header). */
const routeOf = (methodArn: string): string => {
  try {
    const { method, path } = splitMethodArn(methodArn);
    return `${method} ${path}`.slice(0, 200);
  } catch {
    return 'unknown';
  }
};

type HealthAnswer = { statusCode: number; body: string };

const authorize = async (
  event: unknown,
  context: Context,
): Promise<APIGatewayAuthorizerResult | HealthAnswer> => {
  metrics.captureColdStartMetric(context.functionName);
  if (HealthCheckEventSchema.safeParse(event).success) {
    const { response } = await runHealthChecks({ keySet: () => keys.reload() }, env.APP_VERSION, 3000);
    return { statusCode: response.status === 'ok' ? 200 : 503, body: JSON.stringify(response) };
  }
  const parsed = z.safeParse(TokenAuthorizerEventSchema, event);
  if (!parsed.success) {
    logger.warn('Authorization denied', { reason: 'not-a-token-authorizer-event', route: 'unknown' });
    count(MetricName.AuthenticationFailed);
    throw unauthorized();
  }
  const { authorizationToken, methodArn } = parsed.data;
  const route = routeOf(methodArn);
  let caller;
  try {
    caller = await verifier.verify(authorizationToken);
  } catch (error) {
    if (!(error instanceof AuthenticationError)) {
      // The issuer's keys are unreachable: a server fault (API Gateway answers 500), not a 401 to cache.
      logger.error('Authorizer could not verify tokens', { errorName: (error as Error)?.name, route });
      throw new Error('Authorizer unavailable', { cause: error });
    }
    logger.warn('Authorization denied', {
      reason: error.reason,
      route,
      ...(error.subject ? { subject: error.subject } : {}),
    });
    count(MetricName.AuthenticationFailed);
    throw unauthorized();
  }
  const policyDocument = buildPolicy(methodArn, caller.roles);
  if (evaluatePolicy(policyDocument, methodArn) === 'Deny') {
    logger.warn('Authorization denied', {
      reason: caller.roles.length === 0 ? 'no-role' : 'route-not-allowed',
      route,
      subject: caller.userId,
    });
    count(MetricName.AuthorizationDenied);
  }
  return {
    principalId: caller.userId,
    policyDocument,
    context: { userId: caller.userId, roles: caller.roles.join(',') },
  };
};

export const handler = middy(authorize)
  // logEvent pinned off: the event holds the bearer token.
  .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }));
