import * as z from 'zod/mini';
import '../models/zod-locale.ts';
import { AUDIT_RETENTION_DAYS_BY_STAGE, REGULATED_STAGES } from '../constants/retention.ts';
import type { Stage } from '../constants/stages.ts';
import { STAGES } from '../constants/stages.ts';

// SAM passes unset variables as empty strings; these treat them as absent so defaults and "required" apply.
const blankAsUnset = z.transform((value: unknown) => (value === '' ? undefined : value));
/** An optional string variable. */
export const optionalString = () => z.pipe(blankAsUnset, z.optional(z.string()));
/** A required, non-empty string variable. */
export const requiredString = () => z.pipe(blankAsUnset, z.string().check(z.minLength(1)));
/** A positive integer variable with a default. */
export const positiveInt = (fallback: number) =>
  z.pipe(blankAsUnset, z._default(z.pipe(z.coerce.number(), z.int().check(z.positive())), fallback));
/** An integer variable within `[min, max]`, with a default. */
export const boundedInt = (fallback: number, min: number, max: number) =>
  z.pipe(
    blankAsUnset,
    z._default(z.pipe(z.coerce.number(), z.int().check(z.gte(min), z.lte(max))), fallback),
  );

/** Variables every function reads. */
export const BaseEnvSchema = z.object({
  STAGE: z.enum(STAGES),
  AWS_REGION: z._default(z.string().check(z.minLength(1)), 'us-east-1'),
  APP_VERSION: z._default(z.string().check(z.minLength(1)), '0.0.0-local'),
  POWERTOOLS_SERVICE_NAME: z.string().check(z.minLength(1)),
  LOG_LEVEL: z._default(z.enum(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT', 'CRITICAL']), 'INFO'),
  CORS_ORIGIN: requiredString(),
  AUDIT_TABLE: requiredString(),
  /** Unset: the stage's default (AUDIT_RETENTION_DAYS_BY_STAGE), filled in by loadEnv. */
  AUDIT_RETENTION_DAYS: positiveInt(AUDIT_RETENTION_DAYS_BY_STAGE.prod),
  /**
   * DynamoDB Local, with dummy credentials: STAGE=local only (refineLocalOnly). Absent in AWS, where the
   * SDK's regional endpoint and the Lambda role apply.
   */
  DYNAMODB_ENDPOINT: z.pipe(blankAsUnset, z.optional(z.url())),
  /** Each DynamoDB attempt's bound (two attempts per call); see docs/compliance.md, "Time budget". */
  DYNAMODB_TIMEOUT_MS: positiveInt(1000),
  /**
   * The alias API Gateway invokes (`live`). A request that names a caller is served only through it: a
   * direct invoke of a version or of $LATEST (the deploy role's smoke test) may carry any
   * `requestContext.authorizer`, so it is answered 401 (docs/auth.md). Required outside STAGE=local.
   */
  API_ALIAS: optionalString(),
});
export type BaseEnv = z.infer<typeof BaseEnvSchema>;

/** Variables of a function that reads the SQL source (Oracle, or the embedded engine locally). */
export const SqlEnvSchema = z.object({
  PRICE_DB: z._default(z.enum(['oracle', 'sqlite']), 'oracle'),
  ORACLE_CONNECT_STRING: optionalString(),
  ORACLE_USER: optionalString(),
  /** STAGE=local only: everywhere else the password comes from Secrets Manager (ORACLE_SECRET_ARN). */
  ORACLE_PASSWORD: optionalString(),
  /** The Secrets Manager secret holding the Oracle password (a plain string, or JSON with `password`). */
  ORACLE_SECRET_ARN: optionalString(),
  SQLITE_PATH: optionalString(),
  DB_CONNECT_TIMEOUT_MS: positiveInt(2000),
  DB_CALL_TIMEOUT_MS: positiveInt(2000),
  DB_QUEUE_TIMEOUT_MS: positiveInt(1000),
  DB_POOL_MAX: positiveInt(2),
});
export type SqlEnv = z.infer<typeof SqlEnvSchema>;

/** Variables of a function that reads the config table (config-service, which owns it, and its readers). */
export const ConfigTableEnvSchema = z.object({
  CONFIG_TABLE: requiredString(),
  /**
   * The longest a container serves a key (its value, or that it has none) before reading it again: a
   * change, maintenanceMode included, reaches every container within this. 0 turns the cache off.
   */
  CONFIG_CACHE_SECONDS: boundedInt(60, 0, 3600),
});
export type ConfigTableEnv = z.infer<typeof ConfigTableEnvSchema>;

/** Rules that span variables: the embedded engine is for `local` only; each engine needs its settings. */
export const refineSqlEnv = (
  env: SqlEnv & Pick<BaseEnv, 'STAGE'>,
  ctx: z.core.$RefinementCtx<SqlEnv & Pick<BaseEnv, 'STAGE'>>,
): void => {
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
  for (const name of ['ORACLE_CONNECT_STRING', 'ORACLE_USER'] as const) {
    if (!env[name])
      ctx.addIssue({ code: 'custom', path: [name], message: 'is required when PRICE_DB=oracle' });
  }
  const localPassword = env.STAGE === 'local' && env.ORACLE_PASSWORD;
  if (!env.ORACLE_SECRET_ARN && !localPassword) {
    ctx.addIssue({
      code: 'custom',
      path: ['ORACLE_SECRET_ARN'],
      message: 'is required when PRICE_DB=oracle (ORACLE_PASSWORD is accepted only with STAGE=local)',
    });
  }
};

type LocalOnlyFields = Pick<BaseEnv, 'STAGE' | 'DYNAMODB_ENDPOINT' | 'API_ALIAS'> & {
  ORACLE_PASSWORD?: string | undefined;
};

/**
 * What only the local stage may do: a password in the environment (elsewhere it comes from Secrets
 * Manager) and a DynamoDB endpoint with dummy credentials (elsewhere the regional endpoint and the role);
 * and what every other stage must have: the API alias, the only path a caller is trusted through.
 */
export const refineLocalOnly = (env: LocalOnlyFields, ctx: z.core.$RefinementCtx<LocalOnlyFields>): void => {
  if (env.STAGE === 'local') return;
  for (const name of ['DYNAMODB_ENDPOINT', 'ORACLE_PASSWORD'] as const) {
    if (env[name] !== undefined)
      ctx.addIssue({ code: 'custom', path: [name], message: 'is allowed only when STAGE=local' });
  }
  if (env.API_ALIAS === undefined)
    ctx.addIssue({ code: 'custom', path: ['API_ALIAS'], message: 'is required unless STAGE=local' });
};

/**
 * The AWS SDK's own endpoint overrides (`AWS_ENDPOINT_URL`, `AWS_ENDPOINT_URL_DYNAMODB`, ...): read by the
 * SDK from the environment, past this schema, they would send the audit trail or the secret fetch anywhere.
 */
const SDK_ENDPOINT_OVERRIDE = /^AWS_ENDPOINT_URL(?:_|$)/;

/** True when `value` is absent the way SAM and the shell leave it: undefined or empty. */
const unset = (value: string | undefined): boolean => value === undefined || value === '';

/**
 * Fills variables whose default depends on the stage, before validation. Today: AUDIT_RETENTION_DAYS from
 * AUDIT_RETENTION_DAYS_BY_STAGE, so a deployment that sets only STAGE still gets the right TTL.
 */
export const applyStageDefaults = (env: NodeJS.ProcessEnv): NodeJS.ProcessEnv => {
  const stage = env.STAGE as Stage | undefined;
  if (!stage || !(STAGES as readonly string[]).includes(stage) || !unset(env.AUDIT_RETENTION_DAYS))
    return env;
  return { ...env, AUDIT_RETENTION_DAYS: String(AUDIT_RETENTION_DAYS_BY_STAGE[stage]) };
};

/**
 * Refuses an audit retention below the stage's default where the trail is regulatory evidence (prod, DR):
 * a typo there would make DynamoDB delete evidence early, silently.
 */
export const refineAuditRetention = (
  env: Pick<BaseEnv, 'STAGE' | 'AUDIT_RETENTION_DAYS'>,
  ctx: z.core.$RefinementCtx<Pick<BaseEnv, 'STAGE' | 'AUDIT_RETENTION_DAYS'>>,
): void => {
  const floor = AUDIT_RETENTION_DAYS_BY_STAGE[env.STAGE];
  if (REGULATED_STAGES.includes(env.STAGE) && env.AUDIT_RETENTION_DAYS < floor) {
    ctx.addIssue({
      code: 'custom',
      path: ['AUDIT_RETENTION_DAYS'],
      message: `must be at least ${floor} days when STAGE=${env.STAGE}`,
    });
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
export const loadEnv = <S extends z.ZodMiniType>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.output<S> => {
  const result = z.safeParse(schema, applyStageDefaults(env));
  const overrides =
    env.STAGE === 'local'
      ? []
      : Object.keys(env)
          .filter((name) => SDK_ENDPOINT_OVERRIDE.test(name) && !unset(env[name]))
          .map((name) => `${name}: is allowed only when STAGE=local`);
  if (result.success && overrides.length === 0) return result.data;
  const problems = (result.success ? [] : result.error.issues).map((issue) => {
    const name = issue.path.join('.') || '(environment)';
    const missing = issue.code === 'invalid_type' && (env[name] === undefined || env[name] === '');
    return `${name}: ${missing ? 'is required' : issue.message}`;
  });
  throw new ConfigError(`Invalid configuration: ${[...problems, ...overrides].join('; ')}`);
};
