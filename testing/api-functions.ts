import type { ApiAuthorizerFunction, ApiFunction } from '#infra-local/lite/api-server.ts';
import { liteApiAuthorizer, liteApiFunctions } from '#infra-local/lite/lite-env.ts';
import type { LocalIssuer } from '#tools/local/identity/issuer.ts';
import type { TestStores } from './test-stores.ts';
import { TEST_AUDIT_TABLE, TEST_CONFIG_TABLE } from './test-stores.ts';

/**
 * Every API function of the template with its lite environment pointed at `stores` (only the variables a
 * function declares are overridden, as with `--env-vars`), quiet, and with CORS for `corsOrigin`.
 */
export const testApiFunctions = (
  stores: TestStores,
  options: { root?: string; corsOrigin?: string; configCacheSeconds?: number } = {},
): ApiFunction[] => {
  const overrides: Record<string, string> = {
    DYNAMODB_ENDPOINT: stores.endpoint,
    DYNAMODB_TIMEOUT_MS: '1000',
    SQLITE_PATH: stores.sqlitePath,
    AUDIT_TABLE: TEST_AUDIT_TABLE,
    CONFIG_TABLE: TEST_CONFIG_TABLE,
    LOG_LEVEL: 'SILENT',
    ...(options.corsOrigin ? { CORS_ORIGIN: options.corsOrigin } : {}),
    ...(options.configCacheSeconds === undefined
      ? {}
      : { CONFIG_CACHE_SECONDS: String(options.configCacheSeconds) }),
  };
  return liteApiFunctions(options.root ?? process.cwd()).map(({ fn, env }) => {
    for (const [key, value] of Object.entries(overrides)) if (key in env) env[key] = value;
    // Not a template variable: the Lambda runtime honours it, and it keeps EMF lines out of test output.
    env.POWERTOOLS_METRICS_DISABLED = 'true';
    return { fn, env };
  });
};

/**
 * The template's token authorizer for a test API server, trusting `issuer` (a test's own, on an ephemeral
 * port), quiet. Pass it as `authorizer` to startApiServer; send `withToken(...)` requests.
 */
export const testApiAuthorizer = (
  issuer: Pick<LocalIssuer, 'url' | 'jwksUrl'>,
  options: { root?: string } = {},
): ApiAuthorizerFunction => {
  const authorizer = liteApiAuthorizer(options.root ?? process.cwd());
  if (!authorizer) throw new Error('The template declares no API authorizer');
  Object.assign(authorizer.env, {
    JWKS_URL: issuer.jwksUrl,
    TOKEN_ISSUER: issuer.url,
    LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
  return authorizer;
};

/** httpRequest options with `Authorization: Bearer <token>` added. */
export const withToken = <O extends { headers?: Array<[string, string]> }>(
  token: string,
  options: O = {} as O,
): O & { headers: Array<[string, string]> } => ({
  ...options,
  headers: [...(options.headers ?? []), ['Authorization', `Bearer ${token}`]],
});
