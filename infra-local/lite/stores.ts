import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { isAbsolute, join } from 'node:path';
import { seedSqlite } from '../seed/seed-sqlite.ts';
import { seedLocalTables } from '../seed/template-tables.ts';
import { localTableNames } from './lite-env.ts';
import type { RunningDynamoDbLocal } from './dynamodb-local.ts';
import { dynamoReachable, startDynamoDbLocal } from './dynamodb-local.ts';
import { DYNAMODB_PID_FILE } from './pid-file.ts';
import { stateDir } from './state-dir.ts';

/** A DynamoDB Local this process started: its endpoint, and how to kill it. */
export type RunningDynamo = Pick<RunningDynamoDbLocal, 'endpoint' | 'port' | 'close'>;

/** A TCP port on 127.0.0.1 that was free a moment ago (DynamoDB Local cannot report the one it picked). */
export const freeLocalPort = (): Promise<number> =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });

/**
 * A private, in-memory DynamoDB Local for this process (tests, the release rehearsal, tools): port 0 picks
 * a free port. Killed by `close()`, and with this process.
 */
export const startLocalDynamo = async (options: { port?: number } = {}): Promise<RunningDynamo> => {
  const port = options.port || (await freeLocalPort());
  const running = await startDynamoDbLocal({ port });
  const kill = () => process.kill(running.pid, 'SIGKILL');
  process.once('exit', kill);
  return {
    endpoint: running.endpoint,
    port,
    close: async () => {
      process.off('exit', kill);
      await running.close();
    },
  };
};

/** The name the release rehearsal (tools/release) still imports; it starts DynamoDB Local now. */
export const startDynalite = startLocalDynamo;

export { dynamoReachable };

/**
 * Starts the lite DynamoDB Local in the background and leaves it running (`npm run db:stop` stops it):
 * persisted under `.local/dynamodb`, its pid in `.local/dynamodb-local.pid`, its output in
 * `.local/dynamodb-local.log`. Paying its ~3 s start once, not on every invoke.
 */
export const startBackgroundDynamo = async (root: string, endpoint: string): Promise<{ pid: number }> => {
  const state = stateDir(root);
  mkdirSync(state, { recursive: true });
  const running = await startDynamoDbLocal({
    port: Number(new URL(endpoint).port),
    dbPath: join(state, 'dynamodb'),
    detached: true,
    logFile: join(state, 'dynamodb-local.log'),
  });
  writeFileSync(join(state, DYNAMODB_PID_FILE), String(running.pid));
  return { pid: running.pid };
};

export interface LiteStores {
  dynamoEndpoint: string;
  sqlitePath: string;
  /** The pid of the DynamoDB Local this call started in the background (left running), if it did. */
  startedPid?: number | undefined;
  seeded: { tables: Record<string, string>; products?: number };
  /** Nothing to stop: what this call started stays running until `npm run db:stop`. Kept for callers. */
  stop(): Promise<void>;
}

/** The line a command prints when it started the stores and leaves them running. */
export const leftRunningNotice = (endpoint: string, pid: number): string =>
  `DynamoDB Local started at ${endpoint} (pid ${pid}) and left running for the next runs; stop it with: npm run db:stop`;

/**
 * Makes the lite stores usable: reuses a DynamoDB endpoint that already answers, or starts DynamoDB Local
 * there in the background and leaves it running (its ~3 s start is paid once, not per invoke); creates
 * missing tables (TTL on); builds the embedded SQL file when it does not exist.
 */
export const ensureLiteStores = async (options: {
  root: string;
  env: Record<string, string>;
  reseedSql?: boolean;
  /** The caller's `--env-vars` file, if any, so table names match what the functions will see. */
  envVarsFile?: string | undefined;
}): Promise<LiteStores> => {
  const dynamoEndpoint = options.env.DYNAMODB_ENDPOINT;
  if (!dynamoEndpoint)
    throw new Error('DYNAMODB_ENDPOINT is not set for lite mode (infra-local/env/lite.json)');
  let startedPid: number | undefined;
  // A store busy with a burst of writes can miss a short probe: ask again, patiently, before starting one.
  if (!(await dynamoReachable(dynamoEndpoint)) && !(await dynamoReachable(dynamoEndpoint, 5000))) {
    if (await portTaken(dynamoEndpoint)) {
      throw new Error(
        `Something listens on ${dynamoEndpoint} but does not answer DynamoDB requests: stop it (npm run db:stop) or point DYNAMODB_ENDPOINT elsewhere`,
      );
    }
    startedPid = (await startBackgroundDynamo(options.root, dynamoEndpoint)).pid;
  }
  const tables = await seedLocalTables(
    dynamoEndpoint,
    options.root,
    localTableNames(options.root, options.envVarsFile),
  );

  const configured = options.env.SQLITE_PATH || join('.local', 'price.db');
  const sqlitePath = isAbsolute(configured) ? configured : join(options.root, configured);
  const seeded: LiteStores['seeded'] = { tables };
  if (options.reseedSql || !existsSync(sqlitePath))
    seeded.products = seedSqlite(options.root, sqlitePath).products;

  return { dynamoEndpoint, sqlitePath, startedPid, seeded, stop: () => Promise.resolve() };
};

/** True when a TCP listener holds the endpoint's port (answering DynamoDB or not). */
const portTaken = (endpoint: string): Promise<boolean> =>
  new Promise((resolve) => {
    const url = new URL(endpoint);
    const socket = connect({ host: url.hostname, port: Number(url.port) });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
