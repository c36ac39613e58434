import type { APIGatewayProxyResult } from 'aws-lambda';
import type * as SecretsManager from '@aws-sdk/client-secrets-manager';
import type * as ClientMock from 'aws-sdk-client-mock';
import { apiEvent, lambdaContext } from '#testing/api-gateway.ts';
import { FakeOracleDb } from '#testing/fake-oracledb.ts';
import type { LambdaHandler } from '#testing/load-handler.ts';
import { loadHandler } from '#testing/load-handler.ts';
import { TestStores } from '#testing/test-stores.ts';

// The handler's real OracleSqlClient over a fake pool that checks the password, as Oracle does.
let mockOracle: FakeOracleDb | undefined;
jest.mock('oracledb', () => {
  const actual = jest.requireActual<Record<string, unknown>>('oracledb');
  const fake = { ...actual, createPool: (attributes: never) => mockOracle!.createPool(attributes) };
  return { __esModule: true, ...fake, default: fake };
});

// Secrets Manager has no local server: aws-sdk-client-mock answers GetSecretValue. The mock is installed
// on the copy of the SDK each handler container loads (jest gives each its own module registry).
const mockSecret = { value: 'first-password', calls: [] as string[] };
jest.mock('@aws-sdk/client-secrets-manager', () => {
  const actual = jest.requireActual<typeof SecretsManager>('@aws-sdk/client-secrets-manager');
  const { mockClient } = jest.requireActual<typeof ClientMock>('aws-sdk-client-mock');
  mockClient(actual.SecretsManagerClient)
    .on(actual.GetSecretValueCommand)
    .callsFake((input: { SecretId: string }) => {
      mockSecret.calls.push(input.SecretId);
      return { SecretString: JSON.stringify({ username: 'pricing', password: mockSecret.value }) };
    });
  return actual;
});

const HANDLER = '#functions/price-fetcher/src/handler.ts';
const USER = '3f8a2c1e-5b7d-4e9f-a1c2-7d6e5f4a3b2c';
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:pricing-oracle-AbCdEf';

let stores: TestStores;
let oracle: FakeOracleDb;

beforeAll(async () => {
  stores = await TestStores.start();
  oracle = new FakeOracleDb(stores.sqlitePath);
  mockOracle = oracle;
});
afterAll(async () => {
  oracle.close();
  await stores.close();
});
beforeEach(() => {
  mockSecret.calls.length = 0;
  mockSecret.value = 'first-password';
  oracle.password = 'first-password';
  oracle.mode = 'up';
});

const load = () =>
  loadHandler(
    HANDLER,
    stores.priceFetcherEnv({
      PRICE_DB: 'oracle',
      SQLITE_PATH: '',
      ORACLE_CONNECT_STRING: 'oracle.invalid:1521/PRICING',
      ORACLE_USER: 'pricing',
      ORACLE_PASSWORD: '',
      ORACLE_SECRET_ARN: SECRET_ARN,
      DB_CONNECT_TIMEOUT_MS: '200',
      DB_QUEUE_TIMEOUT_MS: '200',
      DB_CALL_TIMEOUT_MS: '200',
    }),
  );

const call = async (handler: LambdaHandler) => {
  const context = lambdaContext();
  const response = (await handler(
    apiEvent({ query: { id: 'PROD-101', userId: USER } }),
    context,
  )) as APIGatewayProxyResult;
  return { statusCode: response.statusCode, body: response.body, requestId: context.awsRequestId };
};

/** Every session open in the fake: what a rotation must not leave behind. */
const sessionsOpen = () => oracle.pools.reduce((sum, pool) => sum + pool.connectionsOpen, 0);

describe('the Oracle password comes from Secrets Manager (Powertools Parameters), never from the environment', () => {
  it('reads the secret once at init and serves from its cache', async () => {
    const handler = await load();

    const first = await call(handler);
    const second = await call(handler);

    expect([first.statusCode, second.statusCode]).toEqual([200, 200]);
    expect(mockSecret.calls).toEqual([SECRET_ARN]);
  });

  it('after a rotation (ORA-01017), fetches the secret again past the cache and rebuilds the pool once: 200', async () => {
    const handler = await load();
    expect((await call(handler)).statusCode).toBe(200);
    const poolsBefore = oracle.pools.length;
    // The database now wants the new password; the idle session of before has timed out.
    mockSecret.value = 'rotated-password';
    oracle.password = 'rotated-password';
    for (const pool of oracle.pools) pool.dropIdle();

    const after = await call(handler);

    expect(after.statusCode).toBe(200);
    expect(mockSecret.calls).toEqual([SECRET_ARN, SECRET_ARN]);
    expect(oracle.pools.length).toBe(poolsBefore + 1);
    expect(sessionsOpen()).toBeLessThanOrEqual(1);
    expect(await stores.auditItemFor(after.requestId)).toMatchObject([{ status: 'SUCCESS' }]);
  });

  it('when the fetched secret is still refused, answers 503 SOURCE_UNAVAILABLE after one refetch, audited, with no secret in the body', async () => {
    const handler = await load();
    oracle.password = 'a-password-nobody-has';
    for (const pool of oracle.pools) pool.dropIdle();

    const refused = await call(handler);

    expect(refused.statusCode).toBe(503);
    expect(JSON.parse(refused.body).error.code).toBe('SOURCE_UNAVAILABLE');
    expect(refused.body).not.toMatch(/password|ORA-01017/);
    // Once at init, once after the refusal: never in a loop.
    expect(mockSecret.calls).toEqual([SECRET_ARN, SECRET_ARN]);
    expect(await stores.auditItemFor(refused.requestId)).toMatchObject([
      { status: 'ERROR', errorCode: 'SOURCE_UNAVAILABLE' },
    ]);
  });
});
