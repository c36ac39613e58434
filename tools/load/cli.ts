// Load evidence: N requests at concurrency C, a mix of good, unknown and bad, then a reconciliation of the
// responses against the audit trail (exactly N items, no duplicates, each with the status the caller saw).
//   npm run test:load -- [-n 5000] [-c 32] [--mix 70,15,15] [--max-seconds 120] [--no-build]
//   npm run test:load -- --url http://127.0.0.1:3000 [--dynamodb-endpoint <url>] [--table <name>]
//   npm run test:load -- --function config-service [-n 5000] [-c 32] [--mix 55,20,10,15] [--no-build]
// config-service's mix is reads (list, key, history), writes with the current version (200), stale writes
// (409) and refused requests; besides the audit trail, each key must then hold exactly 1 + its 200 writes.
// Without --url it drives the built bundle in this process against its own stores (DynamoDB Local in a
// JVM on a free port, a fresh node:sqlite file): nothing is shared with a developer's running stores.
// With --url it drives a running API (npm run start-api / sam local start-api) and reconciles against that
// API's audit table (the lite table by default). Exit code 0 only when everything reconciles in time.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBDocumentClient, QueryCommand, paginateScan } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { findFunction, liteEnvironment } from '#infra-local/lite/lite-env.ts';
import { repoRoot } from '#build/paths.ts';
import { startLocalDynamo } from '#infra-local/lite/stores.ts';
import { localDynamoClient, seedDynamo } from '#infra-local/seed/seed-dynamodb.ts';
import { seedSqlite } from '#infra-local/seed/seed-sqlite.ts';
import type { AuditItem } from '#common/models/audit.ts';
import { CONFIG_KEYS, configPartitionKey } from '#common/models/config.ts';
import { DEFAULT_CONFIG_MIX, parseConfigMix, planConfigRequests } from './config-plan.ts';
import { runLoad } from './driver.ts';
import type { PlannedRequest } from './plan.ts';
import { parseMix, planRequests } from './plan.ts';
import { buildReport, formatReport } from './report.ts';
import type { LoadTarget } from './targets.ts';
import { bundleTarget, httpTarget } from './targets.ts';
import { versionedWrites } from './versioned-writes.ts';

const say = (message: string) => process.stderr.write(`test-load: ${message}\n`);

const ArgsSchema = z.object({
  requests: z.coerce.number().int().min(1).max(1_000_000).default(5000),
  concurrency: z.coerce.number().int().min(1).max(1024).default(32),
  function: z
    .enum(['price-fetcher', 'config-service'], { error: 'must be price-fetcher or config-service' })
    .default('price-fetcher'),
  mix: z.string().optional(),
  maxSeconds: z.coerce.number().positive().default(120),
  url: z.url().optional(),
  dynamodbEndpoint: z.url().optional(),
  table: z.string().min(3).optional(),
  build: z.boolean(),
  json: z.boolean(),
});

const readArgs = () => {
  try {
    const { values } = parseArgs({
      strict: true,
      options: {
        requests: { type: 'string', short: 'n' },
        concurrency: { type: 'string', short: 'c' },
        function: { type: 'string' },
        mix: { type: 'string' },
        'max-seconds': { type: 'string' },
        url: { type: 'string' },
        'dynamodb-endpoint': { type: 'string' },
        table: { type: 'string' },
        'no-build': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      },
    });
    const parsed = ArgsSchema.safeParse({
      requests: values.requests,
      concurrency: values.concurrency,
      function: values.function,
      mix: values.mix,
      maxSeconds: values['max-seconds'],
      url: values.url,
      dynamodbEndpoint: values['dynamodb-endpoint'],
      table: values.table,
      build: !values['no-build'],
      json: values.json,
    });
    if (!parsed.success)
      throw new Error(
        parsed.error.issues.map((issue) => `--${String(issue.path[0])}: ${issue.message}`).join('; '),
      );
    const config = parsed.data.function === 'config-service';
    if (config && parsed.data.url) {
      throw new Error('--url drives price-fetcher only; config-service runs through its built bundle');
    }
    const plan = (): PlannedRequest[] =>
      config
        ? planConfigRequests(parsed.data.requests, parseConfigMix(parsed.data.mix ?? DEFAULT_CONFIG_MIX))
        : planRequests(parsed.data.requests, parseMix(parsed.data.mix ?? '70,15,15'));
    plan(); // fails here, with the usage exit code, on a bad --mix
    return { ...parsed.data, plan };
  } catch (error) {
    say((error as Error).message);
    process.exit(2);
  }
};

/** The run's audit items. A Scan with a filter: this is the test harness reconciling, not a product query. */
const auditItemsOfRun = async (endpoint: string, table: string, runId: string): Promise<AuditItem[]> => {
  const client = DynamoDBDocumentClient.from(localDynamoClient(endpoint));
  const items: AuditItem[] = [];
  try {
    for await (const page of paginateScan(
      { client },
      {
        TableName: table,
        FilterExpression: 'begins_with(correlationId, :run)',
        ExpressionAttributeValues: { ':run': `${runId}-` },
      },
    )) {
      items.push(...((page.Items ?? []) as AuditItem[]));
    }
  } finally {
    client.destroy();
  }
  return items;
};

/** How many versions each key holds: one Query per key (Select COUNT), the harness checking the writes. */
const storedVersions = async (endpoint: string, table: string): Promise<Record<string, number>> => {
  const client = DynamoDBDocumentClient.from(localDynamoClient(endpoint));
  try {
    const counts = await Promise.all(
      CONFIG_KEYS.map(async (key) => {
        const page = await client.send(
          new QueryCommand({
            TableName: table,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': configPartitionKey(key) },
            Select: 'COUNT',
            ConsistentRead: true,
          }),
        );
        return [key, page.Count ?? 0] as const;
      }),
    );
    return Object.fromEntries(counts);
  } finally {
    client.destroy();
  }
};

const args = readArgs();
const root = repoRoot();
const fn = findFunction(root, args.function);
const runId = `load-${Date.now().toString(36)}`;
const CONFIG_LOAD_TABLE = 'pricing-config-load';
let writes: ReturnType<typeof versionedWrites> | undefined;
const cleanups: (() => Promise<void> | void)[] = [];
let exitCode = 1;

try {
  let target: LoadTarget;
  let dynamoEndpoint: string;
  let table: string;
  if (args.url) {
    const lite = liteEnvironment(root, fn);
    dynamoEndpoint = args.dynamodbEndpoint ?? lite.DYNAMODB_ENDPOINT ?? 'http://127.0.0.1:8000';
    table = args.table ?? lite.AUDIT_TABLE ?? 'pricing-audit-local';
    target = httpTarget(args.url);
  } else {
    if (args.build) {
      const { buildFunctions } = await import('#build/build-functions.ts');
      await buildFunctions(root, [fn.name]);
    }
    const dir = mkdtempSync(join(tmpdir(), 'pricing-load-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const sqlitePath = join(dir, 'price.db');
    seedSqlite(root, sqlitePath);
    const dynamo = await startLocalDynamo();
    cleanups.push(() => dynamo.close());
    dynamoEndpoint = dynamo.endpoint;
    table = 'pricing-audit-load';
    await seedDynamo(dynamoEndpoint, { audit: table, config: CONFIG_LOAD_TABLE });
    const bundle = await bundleTarget(
      join(fn.codeDir, 'index.mjs'),
      {
        ...liteEnvironment(root, fn),
        STAGE: 'local',
        PRICE_DB: 'sqlite',
        SQLITE_PATH: sqlitePath,
        DYNAMODB_ENDPOINT: dynamoEndpoint,
        AUDIT_TABLE: table,
        CONFIG_TABLE: CONFIG_LOAD_TABLE,
        // Figures, not logs: the handler's warnings and errors still print.
        LOG_LEVEL: 'WARN',
        POWERTOOLS_METRICS_DISABLED: 'true',
      },
      `${fn.name}-load`,
    );
    // Fresh stores: every key starts at the version 1 the seed wrote.
    target =
      args.function === 'config-service'
        ? (writes = versionedWrites(bundle, Object.fromEntries(CONFIG_KEYS.map((key) => [key, 1]))))
        : bundle;
  }
  cleanups.push(() => target.close());

  const plan = args.plan();
  say(
    `${args.requests} requests at concurrency ${args.concurrency} through ${target.name} (cap ${args.maxSeconds} s)`,
  );
  const interactive = process.stderr.isTTY === true;
  let lastShown = 0;
  const run = await runLoad({
    target,
    plan,
    concurrency: args.concurrency,
    runId,
    deadlineMs: args.maxSeconds * 1000,
    onProgress: (done) => {
      if (!interactive || done - lastShown < 250) return;
      lastShown = done;
      process.stderr.write(`\rtest-load: ${done}/${args.requests}`);
    },
  });
  if (interactive) process.stderr.write('\r');
  const report = buildReport(run, args.requests, await auditItemsOfRun(dynamoEndpoint, table, runId));
  // config-service: the table holds exactly the seed plus the writes that were answered 200, per key.
  const versions = writes
    ? { expected: writes.versions(), stored: await storedVersions(dynamoEndpoint, CONFIG_LOAD_TABLE) }
    : undefined;
  const versionsOk =
    versions === undefined || CONFIG_KEYS.every((key) => versions.expected[key] === versions.stored[key]);
  process.stdout.write(
    formatReport(report, `test-load ${runId}: ${target.name}, audit table ${table} at ${dynamoEndpoint}`),
  );
  if (versions) {
    process.stdout.write(
      `  versions      ${CONFIG_KEYS.map((key) => `${key} ${versions.stored[key]} stored / ${versions.expected[key]} expected`).join(', ')}: ${versionsOk ? 'RECONCILED' : 'FAILED'}\n`,
    );
  }
  if (args.json)
    process.stdout.write(`${JSON.stringify({ ...report, ...(versions ? { versions } : {}) })}\n`);
  for (const problem of report.unexpectedResponses.slice(0, 10))
    say(`unexpected response: ${JSON.stringify(problem)}`);
  exitCode = report.ok && versionsOk ? 0 : 1;
} catch (error) {
  say(`failed: ${(error as Error).message}`);
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup();
}
process.exit(exitCode);
