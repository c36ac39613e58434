// Starts the local stores and leaves them running:
//   npm run dev:env                 docker mode when a Docker engine answers, else lite mode
//   npm run dev:env -- --lite       lite: DynamoDB Local (Java) + the embedded SQL engine, no Docker
//   npm run dev:env -- --docker     docker: Oracle XE + DynamoDB Local (infra-local/docker-compose.yml)
//   [--timeout <seconds>]           how long docker mode waits for the containers' health (default 600)
// Running it twice is safe: a store that already answers is reused, and seeding is idempotent.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runCommand } from '#infra-local/docker/command-runner.ts';
import {
  DockerStackError,
  chooseMode,
  composeArgs,
  dockerEngineAnswers,
  startDockerStack,
} from '#infra-local/docker/compose-stack.ts';
import { findFunction, liteApiAuthorizer, liteEnvironment } from '#infra-local/lite/lite-env.ts';
import { startBackgroundIssuer } from './identity/background-issuer.ts';
import { repoRoot } from '#build/paths.ts';
import { DYNAMODB_PID_FILE, readPid } from '#infra-local/lite/pid-file.ts';
import { dynamoReachable, ensureLiteStores, leftRunningNotice } from '#infra-local/lite/stores.ts';
import { seedLocalTables } from '#infra-local/seed/template-tables.ts';

const say = (line: string) => process.stdout.write(`${line}\n`);
const fail = (message: string, code = 1): never => {
  process.stderr.write(`dev:env: ${message}\n`);
  process.exit(code);
};

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        docker: { type: 'boolean', default: false },
        lite: { type: 'boolean', default: false },
        timeout: { type: 'string', default: '600' },
        'env-vars': { type: 'string' },
      },
    });
  } catch (error) {
    return fail((error as Error).message, 2);
  }
})();
const envVarsFile = values['env-vars'] ? resolve(values['env-vars']) : undefined;
const timeoutSeconds = Number(values.timeout);
if (!Number.isInteger(timeoutSeconds) || timeoutSeconds <= 0)
  fail('--timeout takes a whole number of seconds', 2);

const root = repoRoot();
const litePid = readPid(root, DYNAMODB_PID_FILE);
const choice = await chooseMode({
  docker: values.docker,
  lite: values.lite,
  liteRunning: litePid !== undefined,
  engineAnswers: () => dockerEngineAnswers(runCommand),
}).catch((error: unknown) => fail((error as Error).message, 2));
say(`dev:env: ${choice.mode} mode (${choice.reason})`);

/**
 * One progress line: rewritten in place on a terminal; in a log (CI, pipes), printed when it changes and
 * at most every 15 s, so a long Oracle start stays visible without flooding the log.
 */
const progressLine = () => {
  let last = '';
  let printedAt = 0;
  return {
    update(line: string) {
      if (process.stdout.isTTY) {
        process.stdout.write(`\r\x1b[2K${line}`);
        return;
      }
      const state = line.replace(/\(\d+ s of/, '(');
      if (state !== last || Date.now() - printedAt >= 15_000) say(line);
      last = state;
      printedAt = Date.now();
    },
    end() {
      if (process.stdout.isTTY) process.stdout.write('\n');
    },
  };
};

const startDocker = async (): Promise<void> => {
  if (litePid !== undefined) {
    fail(
      `lite stores are running (DynamoDB Local, pid ${litePid}) and hold port 8000; run "npm run db:stop" first`,
    );
  }
  if (!(await dockerEngineAnswers(runCommand))) {
    fail('no Docker engine answers ("docker info" failed): start Docker, or run "npm run dev:env -- --lite"');
  }
  // The template holds the Docker-mode values, as the Lambda containers see them; from the host, the
  // published DynamoDB Local port is on localhost.
  const env = findFunction(root, 'price-fetcher').environment;
  const endpoint = new URL(env.DYNAMODB_ENDPOINT!);
  endpoint.hostname = '127.0.0.1';
  const hostEndpoint = endpoint.origin;

  say(`dev:env: docker ${composeArgs(root, 'up', '--detach').join(' ')}`);
  const progress = progressLine();
  try {
    const { seeded } = await startDockerStack({
      runner: runCommand,
      root,
      timeoutMs: timeoutSeconds * 1000,
      progress: (line) => progress.update(`dev:env: waiting for health: ${line}`),
      seed: () =>
        seedLocalTables(hostEndpoint, root, {
          audit: env.AUDIT_TABLE!,
          config: findFunction(root, 'config-service').environment.CONFIG_TABLE,
        }),
    });
    progress.end();
    for (const [table, outcome] of Object.entries(seeded)) say(`  table ${table}: ${outcome}`);
  } catch (error) {
    progress.end();
    if (error instanceof DockerStackError) fail(error.message);
    throw error;
  }
  say(
    `Oracle XE: localhost:1521/XEPDB1 (user ${env.ORACLE_USER}), seeded by infra-local/seed/oracle on first start`,
  );
  say(`DynamoDB Local: ${hostEndpoint}`);
  say(
    'Containers are running. Invoke with "npm run invoke:price:sam" or serve with "npm run start-api:sam".',
  );
  say('Stop them with: npm run db:stop (data is kept in the named volumes)');
};

const startLite = async (): Promise<void> => {
  const env = liteEnvironment(root, findFunction(root, 'price-fetcher'), envVarsFile);
  const endpoint = env.DYNAMODB_ENDPOINT!;
  if (await dynamoReachable(endpoint)) {
    say(
      `DynamoDB API already answering at ${endpoint}${litePid ? ` (DynamoDB Local, pid ${litePid})` : ' (not started by dev:env)'}: reusing it`,
    );
  }
  const stores = await ensureLiteStores({ root, env, envVarsFile }).catch((error: unknown) =>
    fail((error as Error).message),
  );
  if (stores.startedPid !== undefined) say(leftRunningNotice(endpoint, stores.startedPid));
  for (const [table, outcome] of Object.entries(stores.seeded.tables)) say(`  table ${table}: ${outcome}`);
  say(
    `Embedded SQL database: ${stores.sqlitePath}${stores.seeded.products !== undefined ? ` (seeded, ${stores.seeded.products} products)` : ' (kept; npm run db:seed rebuilds it)'}`,
  );
  say('Stores are running. Stop them with: npm run db:stop');
};

await (choice.mode === 'docker' ? startDocker() : startLite());

// Both modes: the local OIDC issuer the authorizer trusts (docs/auth.md), left running like the stores.
const authorizer = liteApiAuthorizer(root, envVarsFile);
if (authorizer) {
  try {
    const issuer = await startBackgroundIssuer(root, authorizer.env);
    say(
      issuer.started
        ? `Local OIDC issuer started at ${issuer.url}, pid ${issuer.pid}; a token: npm run token -- --user <uuid> --role price-reader`
        : `Local OIDC issuer already answering at ${issuer.url}: reusing it`,
    );
  } catch (error) {
    fail((error as Error).message);
  }
}
