import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { dirname } from 'node:path';
import { dynamoReachable } from '#infra-local/lite/stores.ts';
import { freePort } from '#testing/free-port.ts';
import { issuerReachable } from '#tools/local/identity/ensure-issuer.ts';

const run = promisify(execFile);

/** Runs a CLI the way npm does, from the repo root; resolves with its output even when it exits non-zero. */
const cli = async (script: string, args: string[], env: Record<string, string> = {}) => {
  try {
    const { stdout, stderr } = await run(process.execPath, [script, ...args], {
      env: { ...process.env, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
};

describe('lite-mode CLIs (no Docker, nothing started by hand)', () => {
  let dir: string;
  let envVars: string;
  let endpoint: string;
  let issuerUrl: string;
  let state: Record<string, string>;

  // One DynamoDB Local for the file, as a developer's invokes share the one they start.
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pricing-cli-'));
    endpoint = `http://127.0.0.1:${await freePort()}`;
    issuerUrl = `http://127.0.0.1:${await freePort()}`;
    state = { LITE_STATE_DIR: join(dir, 'state') };
  });
  beforeEach(() => {
    envVars = join(dir, 'env.json');
    writeFileSync(
      envVars,
      JSON.stringify({
        Parameters: { DYNAMODB_ENDPOINT: endpoint },
        AuthorizerFunction: { JWKS_URL: `${issuerUrl}/jwks`, TOKEN_ISSUER: issuerUrl },
        PriceFetcherFunction: { SQLITE_PATH: join(dir, 'price.db') },
      }),
    );
  });
  afterAll(async () => {
    await cli('tools/local/db-stop.ts', [], state);
    rmSync(dir, { recursive: true, force: true });
  });

  it('without Java, invoke says in one line how to install it, with no stack trace', async () => {
    // PATH holds node's folder only, so no java is found (CI machines have one in /usr/bin).
    const { code, stderr } = await cli(
      'tools/local/invoke.ts',
      [
        'price-fetcher',
        '--event',
        'infra-local/events/price-event.json',
        '--env-vars',
        envVars,
        '--no-build',
      ],
      { ...state, PATH: dirname(process.execPath) },
    );

    expect(code).not.toBe(0);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('DynamoDB Local needs Java 17+');
    expect(stderr).toContain('apt-get install default-jre-headless');
    expect(stderr).toContain('brew install openjdk');
    expect(stderr).not.toMatch(/^\s+at /m);
  });

  it('invoke:price prints the Lambda result on stdout, starting the stores once and leaving them running', async () => {
    const args = [
      'price-fetcher',
      '--event',
      'infra-local/events/price-event.json',
      '--env-vars',
      envVars,
      '--no-build',
    ];
    const { code, stdout, stderr } = await cli('tools/local/invoke.ts', args, state);

    expect(code).toBe(0);
    const result = JSON.parse(stdout) as {
      statusCode: number;
      body: string;
      headers: Record<string, string>;
    };
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toEqual({ productId: 'PROD-101', price: 99.99, currency: 'USD' });
    expect(stderr).toMatch(
      /DynamoDB Local started at .* left running for the next runs; stop it with: npm run db:stop/,
    );
    expect(await dynamoReachable(endpoint)).toBe(true);

    const again = await cli('tools/local/invoke.ts', args, state);
    expect(again.code).toBe(0);
    expect(again.stderr).not.toContain('DynamoDB Local started');
  });

  it("invoke authorizer signs the committed events' {{local-token}} placeholders now: valid is an Allow, expired and forged are Unauthorized", async () => {
    const issuerUrl = `http://127.0.0.1:${await freePort()}`;
    const withIssuer = join(dir, 'env-issuer.json');
    writeFileSync(
      withIssuer,
      JSON.stringify({ AuthorizerFunction: { JWKS_URL: `${issuerUrl}/jwks`, TOKEN_ISSUER: issuerUrl } }),
    );
    const invoke = (name: string) =>
      cli(
        'tools/local/invoke.ts',
        [
          'authorizer',
          '--event',
          `infra-local/events/authorizer-${name}-event.json`,
          '--env-vars',
          withIssuer,
          '--no-build',
        ],
        { LITE_STATE_DIR: join(dir, 'state'), LOG_LEVEL: 'SILENT' },
      );

    const valid = await invoke('valid');
    const expired = await invoke('expired');
    const forged = await invoke('forged');

    expect(valid.code).toBe(0);
    expect(valid.stderr).toContain(`issuer ${issuerUrl} (started for this run)`);
    expect(JSON.parse(valid.stdout)).toMatchObject({
      principalId: '3f8a2c1e-5b7d-4e9f-a1c2-7d6e5f4a3b2c',
      context: { roles: 'price-reader,config-reader' },
      policyDocument: { Statement: expect.arrayContaining([expect.objectContaining({ Effect: 'Allow' })]) },
    });
    for (const refused of [expired, forged]) {
      expect(refused.code).toBe(1);
      expect(JSON.parse(refused.stdout)).toMatchObject({ errorMessage: 'Unauthorized' });
    }
  });

  it('--env-vars overrides a template variable, as with sam local invoke', async () => {
    writeFileSync(
      envVars,
      JSON.stringify({
        Parameters: { DYNAMODB_ENDPOINT: endpoint, APP_VERSION: '9.9.9-override' },
        PriceFetcherFunction: { SQLITE_PATH: join(dir, 'price.db') },
      }),
    );
    const eventFile = join(dir, 'health.json');
    writeFileSync(eventFile, JSON.stringify({ health_check: true }));

    const { code, stdout } = await cli(
      'tools/local/invoke.ts',
      ['price-fetcher', '--event', eventFile, '--env-vars', envVars, '--no-build'],
      state,
    );

    expect(code).toBe(0);
    expect(JSON.parse(JSON.parse(stdout).body)).toMatchObject({ status: 'ok', version: '9.9.9-override' });
  });

  it('refuses an unknown function or an unreadable event with a clear message', async () => {
    const unknown = await cli('tools/local/invoke.ts', ['no-such-fn', '--event', 'x.json', '--no-build']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('No function "no-such-fn"');

    const missing = await cli('tools/local/invoke.ts', [
      'price-fetcher',
      '--event',
      join(dir, 'nope.json'),
      '--no-build',
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read event');
  });

  it('dev:env starts the stores once, is safe to run twice, and db:stop stops them', async () => {
    const env = { LITE_STATE_DIR: join(dir, 'dev-env-state') };
    endpoint = `http://127.0.0.1:${await freePort()}`;
    writeFileSync(
      envVars,
      JSON.stringify({
        Parameters: { DYNAMODB_ENDPOINT: endpoint },
        AuthorizerFunction: { JWKS_URL: `${issuerUrl}/jwks`, TOKEN_ISSUER: issuerUrl },
        PriceFetcherFunction: { SQLITE_PATH: join(dir, 'dev-env.db') },
      }),
    );
    try {
      const first = await cli('tools/local/dev-env.ts', ['--env-vars', envVars], env);
      expect(first.code).toBe(0);
      expect(first.stdout).toContain(`Local OIDC issuer started at ${issuerUrl}`);
      expect(await issuerReachable(`${issuerUrl}/jwks`)).toBe(true);
      expect(first.stdout).toMatch(/DynamoDB Local started at .* \(pid \d+\) and left running/);
      expect(first.stdout).toMatch(/table pricing-audit-local: created/);
      expect(first.stdout).toMatch(/seeded, \d+ products/);

      const second = await cli('tools/local/dev-env.ts', ['--env-vars', envVars], env);
      expect(second.code).toBe(0);
      expect(second.stdout).toContain('already answering');
      expect(second.stdout).toMatch(/table pricing-audit-local: exists/);

      const reseed = await cli('tools/local/db-seed.ts', ['--env-vars', envVars], env);
      expect(reseed.stdout).toMatch(/rebuilt from infra-local\/seed\/product-prices\.sql \(\d+ products\)/);
    } finally {
      const stop = await cli('tools/local/db-stop.ts', [], env);
      expect(stop.stdout).toContain('stopped DynamoDB Local');
      expect(stop.stdout).toContain('stopped the local OIDC issuer');
    }
    expect(await dynamoReachable(endpoint)).toBe(false);
    expect(await issuerReachable(`${issuerUrl}/jwks`)).toBe(false);
    const again = await cli('tools/local/db-stop.ts', [], env);
    expect(again.stdout).toContain('nothing running');
  });
});
