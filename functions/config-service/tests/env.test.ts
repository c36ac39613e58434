import { loadConfigServiceEnv } from '../src/env.ts';

const local = {
  STAGE: 'local',
  POWERTOOLS_SERVICE_NAME: 'config-service',
  CORS_ORIGIN: 'http://localhost:3000',
  AUDIT_TABLE: 'pricing-audit-local',
  CONFIG_TABLE: 'pricing-config-local',
};

describe("config-service's environment", () => {
  it('caches a key (or its absence) for at most 60 s by default, and never beyond an hour', () => {
    expect(loadConfigServiceEnv(local).CONFIG_CACHE_SECONDS).toBe(60);
    expect(() => loadConfigServiceEnv({ ...local, CONFIG_CACHE_SECONDS: '3601' })).toThrow(
      /CONFIG_CACHE_SECONDS/,
    );
  });

  it('accepts DYNAMODB_ENDPOINT (dummy credentials) only with STAGE=local', () => {
    const endpoint = { DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000' };
    expect(loadConfigServiceEnv({ ...local, ...endpoint }).DYNAMODB_ENDPOINT).toBe(
      endpoint.DYNAMODB_ENDPOINT,
    );
    expect(() => loadConfigServiceEnv({ ...local, ...endpoint, STAGE: 'prod' })).toThrow(
      /DYNAMODB_ENDPOINT: is allowed only when STAGE=local/,
    );
  });
});
