import type { Construct } from 'constructs';

/**
 * Values copied from common/constants (retention.ts, tables.ts, metrics.ts, release.ts, audit.ts). The infra
 * package is its own npm package and does not import the Lambda kernel; test/constants.test.ts reads those
 * files and fails when a value here differs, so the copy cannot drift silently.
 */
export const ENVIRONMENTS = ['dev', 'qa', 'uat', 'prod', 'dr'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

export const AUDIT_RETENTION_DAYS: Record<Environment, number> = {
  dev: 7,
  qa: 30,
  uat: 90,
  prod: 2190,
  dr: 2190,
};
export const LOG_RETENTION_DAYS: Record<Environment, number> = {
  dev: 7,
  qa: 30,
  uat: 90,
  prod: 365,
  dr: 365,
};
export const TABLE_BASE_NAME = { audit: 'pricing-audit', config: 'pricing-config' } as const;
export const AUDIT_INDEX = 'byResource';
export const AUDIT_TTL_ATTRIBUTE = 'expiresAt';
export const METRICS_NAMESPACE = 'PricingService';
export const LIVE_ALIAS = 'live';
export const PROMOTIONS_PREFIX = 'promotions/';
export const PRIMARY_REGION = 'us-east-1';
export const DR_REGION = 'us-west-2';
export const regionFor = (env: Environment): string => (env === 'dr' ? DR_REGION : PRIMARY_REGION);

/** The placeholder account used when none is given, so `synth` works offline with no credentials. */
export const PLACEHOLDER_ACCOUNT = '111111111111';

/** Per-stage operating limits. Reserved concurrency bounds Oracle sessions: price-fetcher × DB_POOL_MAX. */
export interface StageLimits {
  throttleRate: number;
  throttleBurst: number;
  reservedConcurrency: { 'price-fetcher': number; 'config-service': number; authorizer: number };
  /** Alarm thresholds. */
  api5xxRate: number;
  p99LatencyMs: number;
  authFailuresPer5Min: number;
  canary: boolean;
}

const LOWER: StageLimits = {
  throttleRate: 20,
  throttleBurst: 40,
  reservedConcurrency: { 'price-fetcher': 5, 'config-service': 5, authorizer: 10 },
  api5xxRate: 0.05,
  p99LatencyMs: 5000,
  authFailuresPer5Min: 100,
  canary: false,
};
const PRODUCTION: StageLimits = {
  throttleRate: 200,
  throttleBurst: 400,
  // 50 containers × DB_POOL_MAX 2 = at most 100 Oracle sessions, whatever the request flood.
  reservedConcurrency: { 'price-fetcher': 50, 'config-service': 10, authorizer: 60 },
  api5xxRate: 0.01,
  p99LatencyMs: 3000,
  authFailuresPer5Min: 50,
  canary: false,
};
export const STAGE_LIMITS: Record<Environment, StageLimits> = {
  dev: LOWER,
  qa: { ...LOWER, throttleRate: 50, throttleBurst: 100 },
  uat: { ...LOWER, throttleRate: 50, throttleBurst: 100 },
  prod: { ...PRODUCTION, canary: true },
  // DR takes PROD's traffic after a failover; it is deployed from verified bytes after PROD, no canary.
  dr: PRODUCTION,
};

/** Everything the stacks read from CDK context, resolved once with defaults so synth needs nothing. */
export interface AppSettings {
  version: string;
  githubRepository: string;
  sharedAccount: string;
  vaultBucketName: string;
  accountFor(env: Environment): string;
  stage(env: Environment): StageSettings;
}

export interface StageSettings {
  env: Environment;
  account: string;
  region: string;
  corsOrigin: string;
  oracleConnectString: string;
  oracleUser: string;
  jwksUrl: string;
  tokenIssuer: string;
  tokenAudience: string;
  rolesClaim: string;
  alarmEmail: string | undefined;
}

const text = (scope: Construct, key: string): string | undefined => {
  const value: unknown = scope.node.tryGetContext(key);
  return typeof value === 'string' && value !== '' ? value : undefined;
};

/**
 * Context keys (all optional): `version` (vault prefix, default v0.0.0), `github.repository`, `account`
 * (every stage) or `account.<env>`, `sharedAccount`, `vaultBucket`, and per stage `<env>.corsOrigin`,
 * `<env>.oracleConnectString`, `<env>.oracleUser`, `<env>.jwksUrl`, `<env>.tokenIssuer`,
 * `<env>.tokenAudience`, `<env>.rolesClaim`, `<env>.alarmEmail`.
 */
export const readSettings = (scope: Construct): AppSettings => {
  const fallbackAccount = text(scope, 'account') ?? process.env.CDK_DEFAULT_ACCOUNT ?? PLACEHOLDER_ACCOUNT;
  const sharedAccount = text(scope, 'sharedAccount') ?? fallbackAccount;
  const version = text(scope, 'version') ?? 'v0.0.0';
  if (!/^v\d+\.\d+\.\d+$/.test(version))
    throw new Error(`context version must look like v1.2.3, got ${version}`);
  const githubRepository = text(scope, 'github.repository') ?? 'example-org/pricing-lambda-monorepo';
  if (!/^[\w.-]+\/[\w.-]+$/.test(githubRepository)) {
    throw new Error(`context github.repository must be <owner>/<repo>, got ${githubRepository}`);
  }
  const accountFor = (env: Environment): string => text(scope, `account.${env}`) ?? fallbackAccount;
  return {
    version,
    githubRepository,
    sharedAccount,
    vaultBucketName: text(scope, 'vaultBucket') ?? `pricing-vault-${sharedAccount}`,
    accountFor,
    stage: (env) => {
      const issuer = text(scope, `${env}.tokenIssuer`) ?? `https://login.example.com/pricing-${env}`;
      return {
        env,
        account: accountFor(env),
        region: regionFor(env),
        corsOrigin: text(scope, `${env}.corsOrigin`) ?? `https://pricing-${env}.example.com`,
        oracleConnectString:
          text(scope, `${env}.oracleConnectString`) ?? `oracle-${env}.pricing.internal:1521/PRICING`,
        oracleUser: text(scope, `${env}.oracleUser`) ?? 'pricing_app',
        jwksUrl: text(scope, `${env}.jwksUrl`) ?? `${issuer}/.well-known/jwks.json`,
        tokenIssuer: issuer,
        tokenAudience: text(scope, `${env}.tokenAudience`) ?? 'pricing-api',
        rolesClaim: text(scope, `${env}.rolesClaim`) ?? 'roles',
        alarmEmail: text(scope, `${env}.alarmEmail`),
      };
    },
  };
};
