import type { Logger } from '@aws-lambda-powertools/logger';
import type { SqlEnv } from '../../utils/env.ts';
import { OracleSqlClient } from './oracle-client.ts';
import { fixedPassword, secretsManagerPassword } from './oracle-password.ts';
import type { SqlClient } from './sql-client.ts';
import { SqliteSqlClient } from './sqlite-client.ts';

/** Chooses the engine from validated configuration (`PRICE_DB`), and where Oracle's password comes from. */
export const createSqlClient = (
  env: SqlEnv & { AWS_REGION: string; DYNAMODB_TIMEOUT_MS: number },
  logger?: Logger,
): SqlClient => {
  if (env.PRICE_DB === 'sqlite') return new SqliteSqlClient({ path: env.SQLITE_PATH ?? '' });
  return new OracleSqlClient({
    logger,
    settings: {
      connectString: env.ORACLE_CONNECT_STRING ?? '',
      user: env.ORACLE_USER ?? '',
      // The secret's ARN wherever it is set; a password in the environment only with STAGE=local.
      password: env.ORACLE_SECRET_ARN
        ? secretsManagerPassword(env.ORACLE_SECRET_ARN, {
            region: env.AWS_REGION,
            timeoutMs: env.DYNAMODB_TIMEOUT_MS,
          })
        : fixedPassword(env.ORACLE_PASSWORD ?? ''),
      poolMax: env.DB_POOL_MAX,
      connectTimeoutMs: env.DB_CONNECT_TIMEOUT_MS,
      callTimeoutMs: env.DB_CALL_TIMEOUT_MS,
      queueTimeoutMs: env.DB_QUEUE_TIMEOUT_MS,
    },
  });
};
