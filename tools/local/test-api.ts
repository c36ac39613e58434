// Runs the Postman collection (infra-local/postman/) headless with newman against start-api, as CI does:
// the server and its stores (DynamoDB Local, node:sqlite) start on free ports in a temp folder, so a
// developer's running `npm run start-api` or `dev:env` is never touched. A local issuer of its own signs the
// tokens the collection's variables carry (each role's, expired, forged, wrong audience). Every response
// newman receives is also checked against openapi.json. Exits non-zero on any failure or contract violation.
// Usage: node tools/local/test-api.ts [--no-build] [--verbose]
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import newman from 'newman';
import type { NewmanRunSummary } from 'newman';
import { testApiAuthorizer, testApiFunctions } from '#testing/api-functions.ts';
import { startLocalIssuer } from '#tools/local/identity/issuer.ts';
import { signInWithAuthorizationCode } from '#tools/local/identity/authorization-code.ts';
import { TestStores } from '#testing/test-stores.ts';
import { seedTemplateTables } from '#testing/local-stack.ts';
import { ROLES } from '#common/constants/roles.ts';
import { OpenApiContract } from '#testing/openapi-contract.ts';
import { startApiServer } from '#infra-local/lite/api-server.ts';
import { repoRoot } from '#build/paths.ts';

const { values } = parseArgs({
  options: {
    'no-build': { type: 'boolean', default: false },
    verbose: { type: 'boolean', short: 'v', default: false },
  },
});

const root = repoRoot();
// TestStores seeds from the working directory's seed SQL.
process.chdir(root);
const collection = join(root, 'infra-local', 'postman', 'pricing-api.postman_collection.json');
const discard = new Writable({ write: (_chunk, _encoding, done) => done() });

const USER = '3f8a2c1e-5b7d-4e9f-a1c2-7d6e5f4a3b2c';

/**
 * The tokens the collection's requests carry, from a local issuer of this run: each role's through the
 * sign-in flow a browser uses (authorization code + PKCE), the hostile ones signed to order.
 */
const collectionTokens = async (issuer: Awaited<ReturnType<typeof startLocalIssuer>>) => {
  const signIn = async (roles: string[]) =>
    (await signInWithAuthorizationCode(issuer.url, { user: USER, roles })).access_token;
  const valid = await signIn(['price-reader']);
  const [header, payload, signature] = valid.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  const elevated = Buffer.from(JSON.stringify({ ...claims, roles: ['config-admin'] })).toString('base64url');
  return {
    // Every role the authorizer knows, so each function's own folder can use the collection's default auth.
    adminToken: await signIn([...ROLES]),
    priceReaderToken: valid,
    configReaderToken: await signIn(['config-reader']),
    configAdminToken: await signIn(['config-admin']),
    readerToken: await signIn(['price-reader', 'config-reader']),
    expiredToken: await issuer.signToken({ sub: USER, roles: ['price-reader'], expiresIn: -600 }),
    // The payload changed after signing (roles raised to config-admin): the signature no longer matches.
    forgedToken: `${header}.${elevated}.${signature}`,
    wrongAudienceToken: await issuer.signToken({
      sub: USER,
      roles: ['price-reader'],
      audience: 'another-api',
    }),
  };
};

const stores = await TestStores.start();
const issuer = await startLocalIssuer();
try {
  // The functions' own tables (AWS::Serverless::SimpleTable) with their seed items.
  await seedTemplateTables(stores.endpoint, root);
  const tokens = await collectionTokens(issuer);
  const server = await startApiServer({
    root,
    // The collection's Maintenance folder turns maintenanceMode on and off: every request reads it.
    functions: testApiFunctions(stores, { configCacheSeconds: 0 }),
    authorizer: testApiAuthorizer(issuer),
    port: 0,
    build: !values['no-build'],
    ...(values.verbose ? {} : { functionLogs: discard, log: () => undefined }),
  });
  try {
    process.stderr.write(`test:api: start-api on ${server.url}, running ${collection}\n`);
    const contract = new OpenApiContract();
    const violations: string[] = [];
    let checked = 0;
    const summary = await new Promise<NewmanRunSummary>((resolve, reject) => {
      const run = newman.run(
        {
          collection,
          envVar: [
            { key: 'baseUrl', value: server.url },
            { key: 'userId', value: USER },
            ...Object.entries(tokens).map(([key, value]) => ({ key, value })),
          ],
          reporters: 'cli',
          reporter: { cli: { noSummary: false } },
          timeoutRequest: 15_000,
        },
        (error, result) => (error ? reject(error) : resolve(result)),
      );
      run.on('request', (error, args) => {
        if (error || !args.response) return;
        checked += 1;
        const url = new URL(args.request.url.toString());
        const headers = Object.fromEntries(
          args.response.headers.all().map((header) => [header.key, header.value] as const),
        );
        violations.push(
          ...contract
            .violations({
              method: args.request.method,
              path: url.pathname,
              status: args.response.code,
              headers,
              body: args.response.stream?.toString('utf8') ?? '',
            })
            .map((problem) => `${args.item.name}: ${problem}`),
        );
      });
    });
    const { assertions, requests } = summary.run.stats;
    const failed = assertions.failed + requests.failed + summary.run.failures.length + violations.length;
    for (const violation of violations) process.stderr.write(`openapi: ${violation}\n`);
    process.stdout.write(
      `openapi: ${checked - violations.length} of ${checked} responses match openapi.json\n`,
    );
    process.stdout.write(
      `newman: ${assertions.total - assertions.failed} passed, ${assertions.failed} failed\n`,
    );
    process.exitCode = failed > 0 ? 1 : 0;
  } finally {
    await server.close();
  }
} finally {
  await issuer.stop();
  await stores.close();
}
