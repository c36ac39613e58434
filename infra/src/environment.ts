import { AUDIT_RETENTION_DAYS, LIVE_ALIAS, TABLE_BASE_NAME, type StageSettings } from './config.ts';
import type { TemplateFunction } from './template.ts';

/**
 * Variables that exist only for local mode and must never reach a deployed function: the Oracle password
 * (production reads it from Secrets Manager through ORACLE_SECRET_ARN), the DynamoDB Local endpoint and the
 * embedded SQL engine's file.
 */
export const LOCAL_ONLY_VARIABLES = ['ORACLE_PASSWORD', 'DYNAMODB_ENDPOINT', 'SQLITE_PATH'] as const;

/** Variables whose template value is also the production value (tuning, not addresses or secrets). */
export const TEMPLATE_VALUE_VARIABLES = [
  'LOG_LEVEL',
  'NODE_OPTIONS',
  'DYNAMODB_TIMEOUT_MS',
  'POWERTOOLS_SERVICE_NAME',
  'DB_CONNECT_TIMEOUT_MS',
  'DB_CALL_TIMEOUT_MS',
  'DB_QUEUE_TIMEOUT_MS',
  'DB_POOL_MAX',
  'CONFIG_CACHE_SECONDS',
  'JWKS_TIMEOUT_MS',
] as const;

export interface StageValues {
  settings: StageSettings;
  version: string;
  oracleSecretArn: string;
}

/** Production values per stage, for the variables whose local value is an address, a name or a stage. */
const stageValue = (
  name: string,
  { settings, version, oracleSecretArn }: StageValues,
): string | undefined => {
  const { env } = settings;
  switch (name) {
    case 'STAGE':
      return env;
    case 'APP_VERSION':
      return version;
    case 'CORS_ORIGIN':
      return settings.corsOrigin;
    case 'API_ALIAS':
      // The alias API Gateway invokes: the functions trust a caller only through it.
      return LIVE_ALIAS;
    case 'AUDIT_TABLE':
      return `${TABLE_BASE_NAME.audit}-${env}`;
    case 'AUDIT_RETENTION_DAYS':
      return String(AUDIT_RETENTION_DAYS[env]);
    case 'CONFIG_TABLE':
      return `${TABLE_BASE_NAME.config}-${env}`;
    case 'PRICE_DB':
      // Config validation refuses the embedded engine outside `local`; deployed functions read Oracle.
      return 'oracle';
    case 'ORACLE_CONNECT_STRING':
      return settings.oracleConnectString;
    case 'ORACLE_USER':
      return settings.oracleUser;
    case 'ORACLE_SECRET_ARN':
      return oracleSecretArn;
    case 'JWKS_URL':
      return settings.jwksUrl;
    case 'TOKEN_ISSUER':
      return settings.tokenIssuer;
    case 'TOKEN_AUDIENCE':
      return settings.tokenAudience;
    case 'ROLES_CLAIM':
      return settings.rolesClaim;
    default:
      return undefined;
  }
};

/**
 * The deployed environment of a template function: every variable name of the template except the
 * local-only ones, each with its production value. A name the template gains that is not classified here
 * fails synth, so a new variable is a decision, not an accident.
 */
export const deployedEnvironment = (fn: TemplateFunction, values: StageValues): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [name, local] of Object.entries(fn.environment)) {
    if ((LOCAL_ONLY_VARIABLES as readonly string[]).includes(name)) continue;
    const value = stageValue(name, values);
    if (value !== undefined) {
      out[name] = value;
    } else if ((TEMPLATE_VALUE_VARIABLES as readonly string[]).includes(name)) {
      if (typeof local !== 'string' && typeof local !== 'number') {
        throw new Error(
          `${fn.logicalId}: ${name} must be a plain value in the template to be deployed as is`,
        );
      }
      out[name] = String(local);
    } else {
      throw new Error(
        `${fn.logicalId}: environment variable ${name} from the template has no production value; ` +
          'classify it in infra/src/environment.ts (local-only, template value or per-stage value)',
      );
    }
  }
  return out;
};
