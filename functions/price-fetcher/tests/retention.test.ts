import type { APIGatewayProxyResult } from 'aws-lambda';
import { SECONDS_PER_DAY } from '#common/constants/audit.ts';
import { AUDIT_RETENTION_DAYS_BY_STAGE } from '#common/constants/retention.ts';
import { STAGES } from '#common/constants/stages.ts';
import { apiEvent, lambdaContext } from '#testing/api-gateway.ts';
import { loadHandler } from '#testing/load-handler.ts';
import { TestStores } from '#testing/test-stores.ts';
import { ConfigError } from '#common/utils/env.ts';
import { loadPriceFetcherEnv } from '../src/env.ts';

const HANDLER = '#functions/price-fetcher/src/handler.ts';
const USER = '3f8a2c1e-5b7d-4e9f-a1c2-7d6e5f4a3b2c';

/** A deployable environment for `stage` (Oracle outside local), with AUDIT_RETENTION_DAYS left unset. */
const envFor = (stage: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  STAGE: stage,
  POWERTOOLS_SERVICE_NAME: 'price-fetcher',
  CORS_ORIGIN: 'https://app.example.com',
  AUDIT_TABLE: `pricing-audit-${stage}`,
  CONFIG_TABLE: `pricing-config-${stage}`,
  PRICE_DB: 'oracle',
  ORACLE_CONNECT_STRING: 'db.internal:1521/PRICING',
  ORACLE_USER: 'pricing',
  ORACLE_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:111111111111:secret:pricing-oracle',
  API_ALIAS: 'live',
  ...extra,
});

describe('audit retention per stage (configuration)', () => {
  it.each(STAGES.map((stage) => [stage, AUDIT_RETENTION_DAYS_BY_STAGE[stage]] as const))(
    'when AUDIT_RETENTION_DAYS is unset, STAGE=%s keeps audit items %d days',
    (stage, days) => {
      expect(loadPriceFetcherEnv(envFor(stage)).AUDIT_RETENTION_DAYS).toBe(days);
      // SAM passes an unset parameter as an empty string: same default.
      expect(loadPriceFetcherEnv(envFor(stage, { AUDIT_RETENTION_DAYS: '' })).AUDIT_RETENTION_DAYS).toBe(
        days,
      );
    },
  );

  it('documents six years in prod and seven days in dev', () => {
    expect(AUDIT_RETENTION_DAYS_BY_STAGE).toMatchObject({ dev: 7, prod: 6 * 365 });
  });

  it('an explicit AUDIT_RETENTION_DAYS wins, and may raise the regulated stages', () => {
    expect(loadPriceFetcherEnv(envFor('dev', { AUDIT_RETENTION_DAYS: '14' })).AUDIT_RETENTION_DAYS).toBe(14);
    expect(loadPriceFetcherEnv(envFor('prod', { AUDIT_RETENTION_DAYS: '2557' })).AUDIT_RETENTION_DAYS).toBe(
      2557,
    );
  });

  it.each(['prod', 'dr'])(
    'refuses STAGE=%s with a retention below six years, naming the variable',
    (stage) => {
      const load = () => loadPriceFetcherEnv(envFor(stage, { AUDIT_RETENTION_DAYS: '7' }));
      expect(load).toThrow(ConfigError);
      expect(load).toThrow(`AUDIT_RETENTION_DAYS: must be at least 2190 days when STAGE=${stage}`);
    },
  );
});

describe('audit retention lands in the TTL attribute (real handler)', () => {
  let stores: TestStores;
  beforeAll(async () => {
    stores = await TestStores.start();
  });
  afterAll(async () => {
    await stores.close();
  });

  it.each([
    ['unset (the stage default)', '', AUDIT_RETENTION_DAYS_BY_STAGE.local],
    ['set to 45', '45', 45],
  ])(
    'with AUDIT_RETENTION_DAYS %s, expiresAt is the lookup time plus that many days',
    async (_case, value, days) => {
      const handler = await loadHandler(HANDLER, stores.priceFetcherEnv({ AUDIT_RETENTION_DAYS: value }));
      const context = lambdaContext();

      const response = (await handler(
        apiEvent({ query: { id: 'PROD-101', userId: USER } }),
        context,
      )) as APIGatewayProxyResult;

      expect(response.statusCode).toBe(200);
      const [item] = await stores.auditItemFor(context.awsRequestId);
      expect(item!.expiresAt - Math.floor(Date.parse(item!.timestamp) / 1000)).toBe(days * SECONDS_PER_DAY);
    },
  );
});
