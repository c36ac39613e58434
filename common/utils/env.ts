import * as z from 'zod';
import { STAGES } from '../constants/stages.ts';

// SAM passes unset variables as empty strings; these treat them as absent so defaults and "required" apply.
/** An optional string variable. */
export const optionalString = () =>
  z.preprocess((value) => (value === '' ? undefined : value), z.string().optional());
/** A required, non-empty string variable. */
export const requiredString = () =>
  z.preprocess((value) => (value === '' ? undefined : value), z.string().min(1));
/** A positive integer variable with a default. */
export const positiveInt = (fallback: number) =>
  z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.coerce.number().int().positive().default(fallback),
  );
/** An integer variable within `[min, max]`, with a default. */
export const boundedInt = (fallback: number, min: number, max: number) =>
  z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.coerce.number().int().min(min).max(max).default(fallback),
  );

/** Variables every function reads. */
export const BaseEnvSchema = z.object({
  STAGE: z.enum(STAGES),
  AWS_REGION: z.string().min(1).default('us-east-1'),
  APP_VERSION: z.string().min(1).default('0.0.0-local'),
  POWERTOOLS_SERVICE_NAME: z.string().min(1),
  LOG_LEVEL: z.enum(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT', 'CRITICAL']).default('INFO'),
  CORS_ORIGIN: requiredString(),
  AUDIT_TABLE: requiredString(),
  AUDIT_RETENTION_DAYS: positiveInt(2555),
  /** Set locally (dynalite or DynamoDB Local); absent in AWS, where the SDK's regional endpoint applies. */
  DYNAMODB_ENDPOINT: z.preprocess((value) => (value === '' ? undefined : value), z.url().optional()),
  DYNAMODB_TIMEOUT_MS: positiveInt(1500),
});
export type BaseEnv = z.infer<typeof BaseEnvSchema>;

/** Variables of a function that reads the SQL source (Oracle, or the embedded engine locally). */
export const SqlEnvSchema = z.object({
  PRICE_DB: z.enum(['oracle', 'sqlite']).default('oracle'),
  ORACLE_CONNECT_STRING: optionalString(),
  ORACLE_USER: optionalString(),
  ORACLE_PASSWORD: optionalString(),
  SQLITE_PATH: optionalString(),
  DB_CONNECT_TIMEOUT_MS: positiveInt(3000),
  DB_CALL_TIMEOUT_MS: positiveInt(2000),
  DB_QUEUE_TIMEOUT_MS: positiveInt(2000),
  DB_POOL_MAX: positiveInt(2),
});
export type SqlEnv = z.infer<typeof SqlEnvSchema>;

/** Rules that span variables: the embedded engine is for `local` only; each engine needs its settings. */
export const refineSqlEnv = (env: SqlEnv & Pick<BaseEnv, 'STAGE'>, ctx: z.RefinementCtx): void => {
  if (env.PRICE_DB === 'sqlite') {
    if (env.STAGE !== 'local') {
      ctx.addIssue({
        code: 'custom',
        path: ['PRICE_DB'],
        message: `"sqlite" is allowed only when STAGE=local`,
      });
    }
    if (!env.SQLITE_PATH) ctx.addIssue({ code: 'custom', path: ['SQLITE_PATH'], message: 'is required' });
    return;
  }
  for (const name of ['ORACLE_CONNECT_STRING', 'ORACLE_USER', 'ORACLE_PASSWORD'] as const) {
    if (!env[name])
      ctx.addIssue({ code: 'custom', path: [name], message: 'is required when PRICE_DB=oracle' });
  }
};

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/**
 * Reads the environment once, at start-up, and fails fast with every bad variable named.
 * The message names variables only, never their values (they may be secrets).
 */
export const loadEnv = <S extends z.ZodType>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.output<S> => {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.') || '(environment)';
    const missing = issue.code === 'invalid_type' && (env[name] === undefined || env[name] === '');
    return `${name}: ${missing ? 'is required' : issue.message}`;
  });
  throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
};
