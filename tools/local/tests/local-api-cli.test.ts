import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { TestStores } from '#testing/test-stores.ts';
import { httpRequest } from '#testing/http-client.ts';
import { envVarsFor, startCli } from '#testing/cli.ts';
import { freePort } from '#testing/free-port.ts';
import { signInWithAuthorizationCode } from '#tools/local/identity/authorization-code.ts';

const USER = '3f8a2c1e-5b7d-4e9f-a1c2-7d6e5f4a3b2c';

let stores: TestStores;
beforeAll(async () => {
  stores = await TestStores.start();
});
afterAll(async () => {
  await stores.close();
});

describe('npm run start-api (tools/local/start-api.ts)', () => {
  it('starts the stores when none answer and leaves them running, serves the routes on the given port, logs each request, and stops on SIGTERM', async () => {
    const dynamoPort = await freePort();
    // Nothing answers there yet: start-api starts the issuer itself, on that loopback port.
    const issuerUrl = `http://127.0.0.1:${await freePort()}`;
    const env = envVarsFor(
      { endpoint: `http://127.0.0.1:${dynamoPort}`, sqlitePath: join(stores.dir, 'start-api', 'price.db') },
      { url: issuerUrl, jwksUrl: `${issuerUrl}/jwks` },
    );
    const server = startCli(
      'tools/local/start-api.ts',
      ['--port', '0', '--no-build', '--quiet', '--env-vars', env.file],
      {
        LITE_STATE_DIR: env.stateDir,
      },
    );
    try {
      const [url] = await server.waitFor(/^http:\/\/127\.0\.0\.1:\d+$/m, 'stdout');

      // A token as the web app gets one: authorization code + PKCE at the issuer start-api started.
      const { access_token: token } = await signInWithAuthorizationCode(issuerUrl, {
        user: USER,
        roles: ['price-reader'],
      });
      const ok = await httpRequest(url, `/price?id=PROD-101&userId=${USER}`, {
        headers: [['Authorization', `Bearer ${token}`]],
      });
      const anonymous = await httpRequest(url, `/price?id=PROD-101`);
      const missing = await httpRequest(url, '/nope');
      await server.waitFor(/^GET \/nope 404 /m, 'stderr');
      server.child.kill('SIGTERM');

      expect(ok.status).toBe(200);
      expect(ok.json()).toEqual({ productId: 'PROD-101', price: 99.99, currency: 'USD' });
      expect(anonymous.status).toBe(401);
      expect(missing.status).toBe(404);
      expect(server.stderr()).toContain(`issuer ${issuerUrl} (started for this server)`);
      expect(server.stderr()).toContain(`DynamoDB at http://127.0.0.1:${dynamoPort}`);
      expect(server.stderr()).toMatch(
        /DynamoDB Local started at .* left running for the next runs; stop it with: npm run db:stop/,
      );
      expect(server.stderr()).toMatch(/GET +http:\/\/127\.0\.0\.1:\d+\/price +-> price-fetcher/);
      expect(server.stderr()).toMatch(/^GET \/price\?id&userId 200 \d+\.\dms price-fetcher$/m);
      expect(server.stderr()).not.toContain(USER);
      expect(await server.exited).toBe(0);
    } finally {
      server.child.kill('SIGKILL');
      execFileSync(process.execPath, ['tools/local/db-stop.ts'], {
        env: { ...process.env, LITE_STATE_DIR: env.stateDir },
        stdio: 'ignore',
      });
      env.cleanup();
    }
  });

  it('refuses a bad --port with a clear message', () => {
    const run = () =>
      execFileSync(process.execPath, ['tools/local/start-api.ts', '--port', 'eighty'], { stdio: 'pipe' });

    expect(run).toThrow(/--port must be an integer from 0 to 65535/);
  });
});

describe('format-response.js', () => {
  const format = (input: string) =>
    execFileSync(process.execPath, ['tools/local/format-response.js'], {
      input,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: 'pipe',
    }).toString();

  it('prints the status line, every header and the JSON body decoded and indented', () => {
    const result = {
      statusCode: 404,
      headers: { 'content-type': 'application/json', 'x-request-id': 'r-1' },
      multiValueHeaders: { 'Set-Cookie': ['a=1', 'b=2'] },
      body: Buffer.from(JSON.stringify({ error: { code: 'PRICE_NOT_FOUND' } })).toString('base64'),
      isBase64Encoded: true,
    };

    expect(format(JSON.stringify(result))).toBe(
      [
        'HTTP 404 Not Found',
        'Set-Cookie: a=1',
        'Set-Cookie: b=2',
        'content-type: application/json',
        'x-request-id: r-1',
        '',
        '{',
        '  "error": {',
        '    "code": "PRICE_NOT_FOUND"',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('reads the result after the lines npm run prints first, and shows a Lambda error as an error', () => {
    const piped =
      '\n> pricing@0.0.0 invoke\n> node tools/local/invoke.ts\n\n{"errorType":"Sandbox.Timedout","errorMessage":"Task timed out after 3.00 seconds"}\n';

    expect(format(piped)).toBe('Lambda error: Sandbox.Timedout\nTask timed out after 3.00 seconds\n');
  });

  it('exits 2 with a message when stdin holds no JSON', () => {
    expect(() => format('not json')).toThrow(/stdin holds no JSON result/);
  });
});

describe('invoke --pretty', () => {
  it('prints the result formatted for reading', async () => {
    const env = envVarsFor(stores);
    // Asynchronous: the test's DynamoDB Local answers the function from this process's event loop.
    const invoke = startCli(
      'tools/local/invoke.ts',
      [
        'price-fetcher',
        '--default-event',
        'infra-local/events/price-event.json',
        '--no-build',
        '--env-vars',
        env.file,
        '--pretty',
      ],
      { LITE_STATE_DIR: env.stateDir },
    );
    try {
      expect(await invoke.exited).toBe(0);
      const output = invoke.stdout();

      expect(output).toMatch(/^HTTP 200 OK\n/);
      expect(output).toContain('x-correlation-id: local-price-event-0001\n');
      expect(output).toContain(
        '\n{\n  "productId": "PROD-101",\n  "price": 99.99,\n  "currency": "USD"\n}\n',
      );
    } finally {
      invoke.child.kill();
      env.cleanup();
    }
  });
});
