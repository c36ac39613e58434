// Starts the local stores and leaves them running: `npm run dev:env` (lite, the default) or
// `npm run dev:env -- --docker` (Oracle XE and DynamoDB Local in containers).
// Running it twice is safe: a store that already answers is reused, and seeding is idempotent.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { findFunction, liteEnvironment } from '../../infra-local/lite/lite-env.ts';
import { repoRoot, stateDir } from '../../infra-local/lite/paths.ts';
import { dynamoReachable, ensureLiteStores } from '../../infra-local/lite/stores.ts';
import { DYNALITE_PID_FILE, readPid } from '../../infra-local/lite/pid-file.ts';

const { values } = parseArgs({
  options: {
    docker: { type: 'boolean', default: false },
    lite: { type: 'boolean', default: false },
    'env-vars': { type: 'string' },
  },
});
const envVarsFile = values['env-vars'] ? resolve(values['env-vars']) : undefined;
const say = (line: string) => process.stdout.write(`${line}\n`);

if (values.docker) {
  process.stderr.write(
    'dev:env: Docker mode (Oracle XE + DynamoDB Local) is not available yet in this repository; run lite mode (the default).\n',
  );
  process.exit(2);
}

const root = repoRoot();
const env = liteEnvironment(root, findFunction(root, 'price-fetcher'), envVarsFile);
const endpoint = env.DYNAMODB_ENDPOINT!;
const state = stateDir(root);
mkdirSync(state, { recursive: true });

const waitUntilReachable = async (timeoutMs: number): Promise<boolean> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await dynamoReachable(endpoint)) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
};

if (await dynamoReachable(endpoint)) {
  const pid = readPid(root, DYNALITE_PID_FILE);
  say(
    `DynamoDB API already answering at ${endpoint}${pid ? ` (dynalite, pid ${pid})` : ' (not started by dev:env)'}: reusing it`,
  );
} else {
  const url = new URL(endpoint);
  const dataDir = join(state, 'dynamodb');
  const log = openSync(join(state, 'dynalite.log'), 'a');
  const child = spawn(
    process.execPath,
    [
      join(root, 'infra-local', 'lite', 'dynalite-server.ts'),
      '--host',
      url.hostname,
      '--port',
      url.port,
      '--path',
      dataDir,
    ],
    { cwd: root, detached: true, stdio: ['ignore', log, log] },
  );
  child.unref();
  closeSync(log);
  writeFileSync(join(state, DYNALITE_PID_FILE), String(child.pid));
  if (!(await waitUntilReachable(10_000))) {
    process.stderr.write(
      `dev:env: dynalite did not answer at ${endpoint} within 10 s; see .local/dynalite.log\n`,
    );
    process.exit(1);
  }
  say(`DynamoDB API (dynalite) started at ${endpoint}, pid ${child.pid}, data in .local/dynamodb`);
}

const stores = await ensureLiteStores({ root, env });
for (const [table, outcome] of Object.entries(stores.seeded.tables)) say(`  table ${table}: ${outcome}`);
say(
  `Embedded SQL database: ${stores.sqlitePath}${stores.seeded.products !== undefined ? ` (seeded, ${stores.seeded.products} products)` : ' (kept; npm run db:seed rebuilds it)'}`,
);
say('Stores are running. Stop them with: npm run db:stop');
