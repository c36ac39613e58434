import { AUDIT_RETENTION_DAYS_BY_STAGE } from '#common/constants/retention.ts';
import { ConfigError } from '#common/utils/env.ts';
import { loadPriceFetcherEnv } from '../src/env.ts';

const localSqlite = {
  STAGE: 'local',
  POWERTOOLS_SERVICE_NAME: 'price-fetcher',
  CORS_ORIGIN: 'http://localhost:3000',
  AUDIT_TABLE: 'pricing-audit-local',
  CONFIG_TABLE: 'pricing-config-local',
  PRICE_DB: 'sqlite',
  SQLITE_PATH: '.local/price.db',
};

describe('environment configuration (read once, fail fast)', () => {
  it('applies defaults for everything optional', () => {
    const env = loadPriceFetcherEnv(localSqlite);
    expect(env).toMatchObject({
      AWS_REGION: 'us-east-1',
      LOG_LEVEL: 'INFO',
      AUDIT_RETENTION_DAYS: AUDIT_RETENTION_DAYS_BY_STAGE.local,
      DB_CONNECT_TIMEOUT_MS: 2000,
      DB_CALL_TIMEOUT_MS: 2000,
      DB_QUEUE_TIMEOUT_MS: 1000,
      DYNAMODB_TIMEOUT_MS: 1000,
      DB_POOL_MAX: 2,
      CONFIG_CACHE_SECONDS: 60,
    });
  });

  it('requires the config table whose switches it obeys, and bounds how long it caches them', () => {
    expect(() => loadPriceFetcherEnv({ ...localSqlite, CONFIG_TABLE: '' })).toThrow(
      /CONFIG_TABLE: is required/,
    );
    expect(() => loadPriceFetcherEnv({ ...localSqlite, CONFIG_CACHE_SECONDS: '3601' })).toThrow(
      /CONFIG_CACHE_SECONDS/,
    );
    expect(loadPriceFetcherEnv({ ...localSqlite, CONFIG_CACHE_SECONDS: '0' }).CONFIG_CACHE_SECONDS).toBe(0);
  });

  it('names every missing variable, and never prints values', () => {
    const attempt = () => loadPriceFetcherEnv({ STAGE: 'prod', ORACLE_PASSWORD: 'hunter2' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/POWERTOOLS_SERVICE_NAME: is required/);
    expect(attempt).toThrow(/AUDIT_TABLE: is required/);
    expect(attempt).not.toThrow(/hunter2/);
  });

  it('names the Oracle settings an oracle-backed stage is missing', () => {
    const attempt = () =>
      loadPriceFetcherEnv({ ...localSqlite, STAGE: 'prod', PRICE_DB: 'oracle', ORACLE_PASSWORD: 'hunter2' });
    expect(attempt).toThrow(/ORACLE_CONNECT_STRING: is required when PRICE_DB=oracle/);
    expect(attempt).toThrow(/ORACLE_USER: is required when PRICE_DB=oracle/);
    expect(attempt).not.toThrow(/hunter2/);
  });

  it('treats empty strings (as SAM passes unset variables) as missing', () => {
    expect(() => loadPriceFetcherEnv({ ...localSqlite, AUDIT_TABLE: '' })).toThrow(
      /AUDIT_TABLE: is required/,
    );
  });

  it('refuses the embedded SQL engine outside the local stage', () => {
    expect(() => loadPriceFetcherEnv({ ...localSqlite, STAGE: 'prod' })).toThrow(
      /PRICE_DB: "sqlite" is allowed only when STAGE=local/,
    );
  });

  it('refuses a non-numeric timeout and an unknown stage', () => {
    expect(() => loadPriceFetcherEnv({ ...localSqlite, DB_CALL_TIMEOUT_MS: 'soon' })).toThrow(
      /DB_CALL_TIMEOUT_MS/,
    );
    expect(() => loadPriceFetcherEnv({ ...localSqlite, STAGE: 'staging' })).toThrow(/STAGE/);
  });

  const deployedOracle = {
    ...localSqlite,
    STAGE: 'prod',
    PRICE_DB: 'oracle',
    SQLITE_PATH: '',
    DYNAMODB_ENDPOINT: '',
    ORACLE_CONNECT_STRING: 'db:1521/PRICING',
    ORACLE_USER: 'pricing',
    ORACLE_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:pricing-oracle-AbCdEf',
    API_ALIAS: 'live',
  };

  it('accepts Oracle settings for a deployed stage, the password named by its Secrets Manager ARN', () => {
    const env = loadPriceFetcherEnv(deployedOracle);
    expect(env.PRICE_DB).toBe('oracle');
    expect(env.ORACLE_SECRET_ARN).toBe(deployedOracle.ORACLE_SECRET_ARN);
  });

  it('refuses a password in the environment outside STAGE=local, without printing it', () => {
    const attempt = () => loadPriceFetcherEnv({ ...deployedOracle, ORACLE_PASSWORD: 'hunter2' });
    expect(attempt).toThrow(/ORACLE_PASSWORD: is allowed only when STAGE=local/);
    expect(attempt).not.toThrow(/hunter2/);
    const noSecret = () => loadPriceFetcherEnv({ ...deployedOracle, ORACLE_SECRET_ARN: '' });
    expect(noSecret).toThrow(/ORACLE_SECRET_ARN: is required when PRICE_DB=oracle/);
  });

  it('accepts ORACLE_PASSWORD with STAGE=local, as the Docker mode sets it', () => {
    const env = loadPriceFetcherEnv({
      ...deployedOracle,
      STAGE: 'local',
      ORACLE_SECRET_ARN: '',
      ORACLE_PASSWORD: 'x',
    });
    expect(env.ORACLE_PASSWORD).toBe('x');
  });

  it('refuses DYNAMODB_ENDPOINT (dummy credentials) outside STAGE=local', () => {
    const attempt = () =>
      loadPriceFetcherEnv({ ...deployedOracle, DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000' });
    expect(attempt).toThrow(/DYNAMODB_ENDPOINT: is allowed only when STAGE=local/);
  });

  it('requires API_ALIAS outside STAGE=local: a caller is trusted only through the alias API Gateway invokes', () => {
    expect(() => loadPriceFetcherEnv({ ...deployedOracle, API_ALIAS: '' })).toThrow(
      /API_ALIAS: is required unless STAGE=local/,
    );
    expect(loadPriceFetcherEnv({ ...localSqlite }).API_ALIAS).toBeUndefined();
  });

  it("refuses the SDK's own endpoint overrides outside STAGE=local: they would send the audit trail elsewhere", () => {
    for (const name of [
      'AWS_ENDPOINT_URL',
      'AWS_ENDPOINT_URL_DYNAMODB',
      'AWS_ENDPOINT_URL_SECRETS_MANAGER',
    ]) {
      expect(() => loadPriceFetcherEnv({ ...deployedOracle, [name]: 'http://127.0.0.1:9' })).toThrow(
        new RegExp(`${name}: is allowed only when STAGE=local`),
      );
    }
    // Unset (or empty, as SAM passes it) is fine, and so is a variable that only starts alike.
    expect(() =>
      loadPriceFetcherEnv({ ...deployedOracle, AWS_ENDPOINT_URL_DYNAMODB: '', AWS_ENDPOINT_URLS: 'x' }),
    ).not.toThrow();
  });
});
