import * as z from 'zod/mini';
import { BaseEnvSchema, boundedInt, loadEnv, requiredString } from '#common/utils/env.ts';

/**
 * The authorizer's environment: where the issuer's keys are, which `iss` and `aud` a token must carry, and
 * which claim holds the roles (`roles`; `cognito:groups` for Cognito). It writes no audit item, so it takes
 * only the logging part of the base variables.
 */
export const AuthorizerEnvSchema = z
  .object({
    ...z.pick(BaseEnvSchema, {
      STAGE: true,
      APP_VERSION: true,
      POWERTOOLS_SERVICE_NAME: true,
      LOG_LEVEL: true,
    }).shape,
    JWKS_URL: z.pipe(requiredString(), z.url()),
    TOKEN_ISSUER: requiredString(),
    TOKEN_AUDIENCE: requiredString(),
    ROLES_CLAIM: z._default(requiredString(), 'roles'),
    /** Bounds each JWKS fetch: a silent issuer must not hold a request until the Lambda timeout. */
    JWKS_TIMEOUT_MS: boundedInt(1500, 100, 5000),
  })
  .check(
    z.superRefine((env, ctx) => {
      // Plain http is for the local issuer only: in AWS, keys fetched in clear could be swapped on the way.
      if (env.STAGE === 'local') return;
      for (const name of ['JWKS_URL', 'TOKEN_ISSUER'] as const) {
        if (!env[name].startsWith('https://'))
          ctx.addIssue({ code: 'custom', path: [name], message: `must be https:// when STAGE=${env.STAGE}` });
      }
    }),
  );
export type AuthorizerEnv = z.infer<typeof AuthorizerEnvSchema>;

export const loadAuthorizerEnv = (env: NodeJS.ProcessEnv = process.env): AuthorizerEnv =>
  loadEnv(AuthorizerEnvSchema, env);
