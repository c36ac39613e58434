import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { APIGatewayProxyEventSchema } from '@aws-lambda-powertools/parser/schemas/api-gateway';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { lambdaContext } from '#testing/api-gateway.ts';
import { loadHandler } from '#testing/load-handler.ts';
import { TestStores } from '#testing/test-stores.ts';

const run = promisify(execFile);
const SCRIPT = join(process.cwd(), 'tools', 'local', 'event-new.ts');
const USER = '3f8a2c1e-5b7d-4e9f-a1c2-7d6e5f4a3b2c';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'event-new-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `npm run event:new -- <args>` as a user would (the script itself, without npm's banner). */
const eventNew = async (...args: string[]) => {
  try {
    const { stdout, stderr } = await run(process.execPath, [SCRIPT, ...args, '--dir', dir]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
};
const written = (name: string) =>
  JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as Record<string, unknown>;

describe('npm run event:new', () => {
  it('writes an API Gateway proxy event with the complete aws-proxy shape', async () => {
    const result = await eventNew('items', '--method', 'get', '--path', '/x', '--query', 'a=b');
    const event = written('items');

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('wrote');
    expect(APIGatewayProxyEventSchema.safeParse(event).error).toBeUndefined();
    expect(Object.keys(event).sort()).toEqual(
      [
        'body',
        'headers',
        'httpMethod',
        'isBase64Encoded',
        'multiValueHeaders',
        'multiValueQueryStringParameters',
        'path',
        'pathParameters',
        'queryStringParameters',
        'requestContext',
        'resource',
        'stageVariables',
        // `sam local start-api` adds the payload version; the event is what the local API server sends.
        'version',
      ].sort(),
    );
    expect(event).toMatchObject({
      httpMethod: 'GET',
      path: '/x',
      resource: '/x',
      queryStringParameters: { a: 'b' },
      multiValueQueryStringParameters: { a: ['b'] },
      requestContext: {
        httpMethod: 'GET',
        path: '/x',
        resourcePath: '/x',
        stage: 'local',
        identity: { sourceIp: '127.0.0.1' },
      },
    });
  });

  it('keeps repeated parameters, headers and path parameters consistent between single and multi-value maps', async () => {
    await eventNew(
      'order',
      '--method',
      'PUT',
      '--path',
      '/orders/{id}',
      '--path-param',
      'id=A 1',
      '--query',
      'tag=x',
      '--query',
      'tag=y',
      '--header',
      'X-Correlation-Id: abc',
      '--body',
      '{ "qty": 2 }',
    );
    const event = written('order');

    expect(event).toMatchObject({
      resource: '/orders/{id}',
      path: '/orders/A 1',
      pathParameters: { id: 'A 1' },
      queryStringParameters: { tag: 'y' },
      multiValueQueryStringParameters: { tag: ['x', 'y'] },
      headers: { 'X-Correlation-Id': 'abc', 'Content-Type': 'application/json' },
      multiValueHeaders: { 'X-Correlation-Id': ['abc'] },
      body: '{"qty":2}',
    });
  });

  it('writes an event the real price-fetcher handler serves', async () => {
    await eventNew(
      'price-x',
      '--method',
      'GET',
      '--path',
      '/price',
      '--query',
      'id=PROD-102',
      '--query',
      `userId=${USER}`,
    );
    const stores = await TestStores.start();
    try {
      const handler = await loadHandler('#functions/price-fetcher/src/handler.ts', stores.priceFetcherEnv());
      const response = (await handler(written('price-x'), lambdaContext())) as APIGatewayProxyResult;

      expect(response.statusCode).toBe(200);
      expect(JSON.parse(response.body)).toEqual({ productId: 'PROD-102', price: 24.5, currency: 'EUR' });
    } finally {
      await stores.close();
    }
  });

  it('carries the caller as the authorizer passes it: --user/--role, by default the recorded user with the roles of the route; --anonymous none', async () => {
    const other = '11111111-2222-4333-8444-555555555555';
    await eventNew(
      'as-other',
      '--method',
      'PUT',
      '--path',
      '/config/{key}',
      '--path-param',
      'key=maintenanceMode',
      '--user',
      other,
      '--role',
      'config-admin,price-reader',
    );
    await eventNew(
      'as-default',
      '--method',
      'GET',
      '--path',
      '/config/{key}/history',
      '--path-param',
      'key=maintenanceMode',
    );
    await eventNew(
      'as-nobody',
      '--method',
      'GET',
      '--path',
      '/price',
      '--query',
      'id=PROD-102',
      '--anonymous',
    );
    const refused = await eventNew('bad-role', '--method', 'GET', '--path', '/price', '--role', 'root');

    expect((written('as-other').requestContext as Record<string, unknown>).authorizer).toEqual({
      principalId: other,
      integrationLatency: 0,
      userId: other,
      roles: 'config-admin,price-reader',
    });
    expect((written('as-default').requestContext as Record<string, unknown>).authorizer).toEqual({
      principalId: USER,
      integrationLatency: 0,
      userId: USER,
      roles: 'config-admin',
    });
    expect((written('as-nobody').requestContext as Record<string, unknown>).authorizer).toBeNull();
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('unknown role root');
    const stores = await TestStores.start();
    try {
      const handler = await loadHandler('#functions/price-fetcher/src/handler.ts', stores.priceFetcherEnv());
      const response = (await handler(written('as-nobody'), lambdaContext())) as APIGatewayProxyResult;
      expect(response.statusCode).toBe(401);
    } finally {
      await stores.close();
    }
  });

  it('refuses to overwrite an existing event unless --force is given', async () => {
    writeFileSync(join(dir, 'kept.json'), '{"kept":true}\n');

    const refused = await eventNew('kept', '--method', 'GET', '--path', '/x');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('exists; pass --force');
    expect(written('kept')).toEqual({ kept: true });

    const forced = await eventNew('kept', '--method', 'GET', '--path', '/x', '--force');
    expect(forced.code).toBe(0);
    expect(written('kept')).toMatchObject({ httpMethod: 'GET' });
  });

  it.each([
    [['Bad_Name', '--method', 'GET', '--path', '/x'], 'is not a file name'],
    [['e', '--method', 'FETCH', '--path', '/x'], '--method must be one of'],
    [['e', '--method', 'GET', '--path', 'x'], '--path must start with "/"'],
    [['e', '--method', 'GET', '--path', '/x', '--query', 'novalue'], 'is not in the form name=value'],
    [['e', '--method', 'GET', '--path', '/x/{id}'], 'path parameter(s) without a value: id'],
    [['e', '--method', 'POST', '--path', '/x', '--body', '{not json'], '--body must be JSON'],
  ])('rejects %j with exit 2 and a usage line', async (args, message) => {
    const result = await eventNew(...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain('usage: npm run event:new');
  });
});
