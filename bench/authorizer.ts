// The authorizer's costs (issue 15), beside a jose-only anchor: cold start (import + key set fetch + first
// verify, fresh process each), warm verify with the key set cached (target <= 0.3 ms at p50), and
// start-api's latency with the authorizer answering from its cache. Usage:
//   npm run bench:authorizer [-- --runs 10 --invocations 2000 --api-seconds 6]
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { repoRoot } from '#build/paths.ts';
import { buildFunctions } from '#build/build-functions.ts';
import { createLambdaContext } from '#infra-local/lite/lambda-context.mjs';
import { startLocalIssuer } from '#tools/local/identity/issuer.ts';
import { BenchStores } from './lib/bench-stores.ts';
import { startApiProcess } from './lib/start-api-process.ts';
import { percentile, round, summarize } from './lib/stats.ts';
import { PRODUCTION, buildVariant } from './lib/variants.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '10' },
    invocations: { type: 'string', default: '2000' },
    'api-seconds': { type: 'string', default: '6' },
  },
});
const runs = Number(values.runs);
const invocations = Number(values.invocations);
const root = repoRoot();
const print = (line = '') => process.stdout.write(`${line}\n`);
const USER = '3f8a2c1e-5b7d-4e9f-a1c2-7d6e5f4a3b2c';

print('Building (npm run build) ...');
await buildFunctions(root);
const anchor = await buildVariant(
  root,
  'jose-anchor',
  join(root, 'bench', 'fixtures', 'jose-anchor-handler.ts'),
  PRODUCTION,
);
const authorizerBundle = join(root, 'dist', 'authorizer', 'index.mjs');
const issuer = await startLocalIssuer();
const token = await issuer.signToken({ sub: USER, roles: ['price-reader'], expiresIn: 6 * 3600 });
const env: Record<string, string> = {
  PATH: process.env.PATH ?? '',
  STAGE: 'local',
  APP_VERSION: 'bench',
  POWERTOOLS_SERVICE_NAME: 'authorizer',
  LOG_LEVEL: 'WARN',
  JWKS_URL: issuer.jwksUrl,
  TOKEN_ISSUER: issuer.url,
  TOKEN_AUDIENCE: 'pricing-api',
  ROLES_CLAIM: 'roles',
};

try {
  // Cold starts, interleaved so drift in machine load hits both alike.
  const cold: Record<string, { init: number[]; firstInvoke: number[]; total: number[] }> = {
    authorizer: { init: [], firstInvoke: [], total: [] },
    'jose anchor': { init: [], firstInvoke: [], total: [] },
  };
  for (let run = 0; run < runs; run += 1) {
    for (const [name, bundle] of [
      ['authorizer', authorizerBundle],
      ['jose anchor', anchor.file],
    ] as const) {
      const output = execFileSync(
        process.execPath,
        [join(root, 'bench', 'authorizer-cold-probe.mjs'), bundle, token],
        { env, encoding: 'utf8', cwd: root, stdio: ['ignore', 'pipe', 'ignore'] },
      );
      const line = output.split('\n').find((text) => text.startsWith('BENCH_RESULT '));
      const sample = JSON.parse(line!.slice('BENCH_RESULT '.length)) as {
        init: number;
        firstInvoke: number;
        total: number;
        principalId?: string;
      };
      if (sample.principalId !== USER) throw new Error(`${name} did not allow the bench token`);
      for (const key of ['init', 'firstInvoke', 'total'] as const) cold[name]![key].push(sample[key]);
    }
  }
  print();
  print(
    `Authorizer cold start (${runs} fresh processes each; init includes the key set fetch), median (min-max)`,
  );
  print('| bundle | init | first verify | total |');
  print('| --- | --- | --- | --- |');
  const cell = (list: number[]) => {
    const s = summarize(list);
    return `${round(s.median, 1)} ms (${round(s.min, 1)}-${round(s.max, 1)})`;
  };
  for (const [name, samples] of Object.entries(cold))
    print(`| ${name} | ${cell(samples.init)} | ${cell(samples.firstInvoke)} | ${cell(samples.total)} |`);

  // Warm verify, in this process, key set cached: per-call latency of the real bundle and of the anchor.
  Object.assign(process.env, env, { POWERTOOLS_METRICS_DISABLED: 'true' });
  const warm: Record<string, number[]> = {};
  for (const [name, bundle] of [
    ['authorizer', authorizerBundle],
    ['jose anchor', anchor.file],
  ] as const) {
    const module = (await import(`${pathToFileURL(bundle).href}?warm`)) as {
      ready?: Promise<unknown>;
      handler: (event: unknown, context: unknown) => Promise<unknown>;
    };
    await module.ready;
    const event = {
      type: 'TOKEN',
      authorizationToken: `Bearer ${token}`,
      methodArn: 'arn:aws:execute-api:us-east-1:123456789012:1234567890/Prod/GET/price',
    };
    const context = createLambdaContext({
      requestId: 'warm',
      functionName: 'bench',
      deadline: Date.now() + 60_000,
    });
    for (let index = 0; index < 200; index += 1) await module.handler(event, context);
    const times: number[] = [];
    for (let index = 0; index < invocations; index += 1) {
      const started = performance.now();
      await module.handler(event, context);
      times.push(performance.now() - started);
    }
    warm[name] = times.sort((a, b) => a - b);
  }
  print();
  print(`Warm verify, key set cached (${invocations} calls each, one process)`);
  print('| handler | p50 | p99 | target |');
  print('| --- | --- | --- | --- |');
  for (const [name, times] of Object.entries(warm))
    print(
      `| ${name} | ${round(percentile(times, 50), 3)} ms | ${round(percentile(times, 99), 3)} ms | ${name === 'authorizer' ? `<= 0.3 ms: ${percentile(times, 50) <= 0.3 ? 'met' : 'NOT met'}` : ''} |`,
    );

  // start-api, GET /price with a token whose policy the gateway has cached (one connection).
  const stores = await BenchStores.start(root, {
    audit: 'pricing-audit-local',
    config: 'pricing-config-local',
  });
  try {
    const server = await startApiProcess(root, stores, ['--no-build', '--no-watch', '--quiet']);
    try {
      const url = `${server.origin}/price?id=PROD-101`;
      const headers = { authorization: server.authorization };
      await autocannon({ url, headers, connections: 4, amount: 200 });
      const result = await autocannon({
        url,
        headers,
        connections: 1,
        duration: Number(values['api-seconds']),
      });
      print();
      print('start-api, GET /price, 1 connection, authorizer answered from its cache');
      print('| p50 | p99 | requests | non-2xx | before the authorizer (README) |');
      print('| --- | --- | --- | --- | --- |');
      print(
        `| ${result.latency.p50} ms | ${result.latency.p99} ms | ${result.requests.total} | ${result.non2xx} | p50 3 ms (target: within 1 ms) |`,
      );
    } finally {
      await server.stop();
    }
  } finally {
    await stores.stop();
  }
} finally {
  await issuer.stop();
}
