import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { recordingProxy } from '#testing/recording-proxy.ts';
import { TestStores } from '#testing/test-stores.ts';
import { LocalLambda } from '#testing/local-stack.ts';
import { findFunction } from '#testing/local-stack.ts';
import { repoRoot } from '#build/paths.ts';

const root = repoRoot();
const fn = findFunction(root, 'config-service');
const readEvent = (name: string): unknown =>
  JSON.parse(readFileSync(join(root, 'infra-local', 'events', name), 'utf8'));

let stores: TestStores;
let lambda: LocalLambda;

beforeAll(async () => {
  stores = await TestStores.start();
  lambda = new LocalLambda({
    codeDir: fn.codeDir,
    handler: fn.handler,
    env: { ...fn.environment, ...stores.configServiceEnv() },
    functionName: fn.functionName,
    timeoutSeconds: fn.timeoutSeconds,
    memoryMb: fn.memoryMb,
    logs: new Writable({ write: (_chunk, _encoding, done) => done() }),
  });
});
afterAll(async () => {
  await lambda.stop();
  await stores.close();
});

/** Invokes the built bundle (dist/config-service/index.mjs, built by jest's global setup). */
const invokeBundle = async (eventFile: string): Promise<APIGatewayProxyResult> => {
  const outcome = await lambda.invoke(readEvent(eventFile));
  if (!outcome.ok) throw new Error(`${outcome.error.errorType}: ${outcome.error.errorMessage}`);
  return outcome.result as APIGatewayProxyResult;
};

describe('config-service as built and declared in the SAM template', () => {
  it('is declared with its four API routes and the index.handler entry of its bundle', () => {
    expect(fn).toMatchObject({
      logicalId: 'ConfigServiceFunction',
      handler: 'index.handler',
      codeDir: join(root, 'dist', 'config-service'),
    });
    expect(fn.routes.map(({ method, path }) => `${method} ${path}`).sort()).toEqual([
      'GET /config',
      'GET /config/{key}',
      'GET /config/{key}/history',
      'PUT /config/{key}',
    ]);
    expect(fn.environment).toMatchObject({
      CONFIG_TABLE: 'pricing-config-local',
      CONFIG_CACHE_SECONDS: '60',
    });
  });

  it('answers each recorded event in infra-local/events as the API documents, auditing every HTTP request', async () => {
    const statuses: Record<string, number> = {};
    for (const file of [
      'config-list-event.json',
      'config-get-event.json',
      'config-history-event.json',
      'config-put-event.json',
      'config-put-bad-event.json',
      'config-get-unknown-event.json',
    ]) {
      statuses[file] = (await invokeBundle(file)).statusCode;
    }
    const replayedPut = await invokeBundle('config-put-event.json');

    expect(statuses).toEqual({
      'config-list-event.json': 200,
      'config-get-event.json': 200,
      'config-history-event.json': 200,
      'config-put-event.json': 200,
      'config-put-bad-event.json': 400,
      'config-get-unknown-event.json': 404,
    });
    expect(replayedPut.statusCode).toBe(409);
    const audit = await stores.auditItems();
    expect(audit).toHaveLength(7);
    expect(audit.filter((item) => item.action === 'CONFIG_UPDATE')).toHaveLength(3);
  });

  it('primes both DynamoDB paths during init: the first request sends only its own Query and audit put', async () => {
    const proxy = await recordingProxy(stores.endpoint);
    const cold = new LocalLambda({
      codeDir: fn.codeDir,
      handler: fn.handler,
      env: { ...fn.environment, ...stores.configServiceEnv({ DYNAMODB_ENDPOINT: proxy.endpoint }) },
      functionName: fn.functionName,
      timeoutSeconds: fn.timeoutSeconds,
      memoryMb: fn.memoryMb,
      logs: new Writable({ write: (_chunk, _encoding, done) => done() }),
    });
    try {
      // Init only, as Lambda runs it before the first request: the entry awaits the warm-up, whose two
      // read-only calls run side by side.
      await cold.warm();
      expect(proxy.operations().sort()).toEqual(['DescribeTable', 'Query']);

      const outcome = await cold.invoke(readEvent('config-get-event.json'));

      expect(outcome.ok && (outcome.result as APIGatewayProxyResult).statusCode).toBe(200);
      expect(proxy.operations().slice(2)).toEqual(['Query', 'PutItem']);
    } finally {
      await cold.stop();
      await proxy.close();
    }
  });

  it('answers the health check event with both tables ok', async () => {
    const response = await invokeBundle('config-health-event.json');

    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ checks: { configTable: 'ok', auditTable: 'ok' } });
  });
});
