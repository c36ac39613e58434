import { AUDIT_RETENTION_DAYS_BY_STAGE } from '#common/constants/retention.ts';
import { ConfigError } from '#common/utils/env.ts';
import { loadPriceFetcherEnv } from '../src/env.ts';

const localSqlite = {
  STAGE: 'local',
  POWERTOOLS_SERVICE_NAME: 'price-fetcher',
  CORS_ORIGIN: 'http://localhost:3000',
  AUDIT_TABLE: 'pricing-audit-local',
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
      DB_CONNECT_TIMEOUT_MS: 3000,
      DB_CALL_TIMEOUT_MS: 2000,
      DB_POOL_MAX: 2,
    });
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

  it('accepts Oracle settings for a deployed stage', () => {
    const env = loadPriceFetcherEnv({
      ...localSqlite,
      STAGE: 'prod',
      PRICE_DB: 'oracle',
      SQLITE_PATH: '',
      ORACLE_CONNECT_STRING: 'db:1521/PRICING',
      ORACLE_USER: 'pricing',
      ORACLE_PASSWORD: 'x',
    });
    expect(env.PRICE_DB).toBe('oracle');
  });
});
