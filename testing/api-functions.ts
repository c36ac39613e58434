import type { ApiFunction } from '#infra-local/lite/api-server.ts';
import { liteApiFunctions } from '#infra-local/lite/lite-env.ts';
import type { TestStores } from './test-stores.ts';
import { TEST_AUDIT_TABLE, TEST_CONFIG_TABLE } from './test-stores.ts';

/**
 * Every API function of the template with its lite environment pointed at `stores` (only the variables a
 * function declares are overridden, as with `--env-vars`), quiet, and with CORS for `corsOrigin`.
 */
export const testApiFunctions = (
  stores: TestStores,
  options: { root?: string; corsOrigin?: string } = {},
): ApiFunction[] => {
  const overrides: Record<string, string> = {
    DYNAMODB_ENDPOINT: stores.endpoint,
    DYNAMODB_TIMEOUT_MS: '1000',
    SQLITE_PATH: stores.sqlitePath,
    AUDIT_TABLE: TEST_AUDIT_TABLE,
    CONFIG_TABLE: TEST_CONFIG_TABLE,
    LOG_LEVEL: 'SILENT',
    ...(options.corsOrigin ? { CORS_ORIGIN: options.corsOrigin } : {}),
  };
  return liteApiFunctions(options.root ?? process.cwd()).map(({ fn, env }) => {
    for (const [key, value] of Object.entries(overrides)) if (key in env) env[key] = value;
    // Not a template variable: the Lambda runtime honours it, and it keeps EMF lines out of test output.
    env.POWERTOOLS_METRICS_DISABLED = 'true';
    return { fn, env };
  });
};
