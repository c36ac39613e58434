import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { isAbsolute, join } from 'node:path';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { localDynamoClient } from '../seed/seed-dynamodb.ts';
import { seedSqlite } from '../seed/seed-sqlite.ts';
import { seedLocalTables } from '../seed/template-tables.ts';
import { localTableNames } from './lite-env.ts';

export interface RunningDynalite {
  endpoint: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Starts dynalite, an implementation of the DynamoDB API, in this process. In memory by default; with
 * `path`, persisted in LevelDB. Port 0 picks a free port (tests).
 */
export const startDynalite = async (
  options: { port?: number; host?: string; path?: string } = {},
): Promise<RunningDynalite> => {
  const host = options.host ?? '127.0.0.1';
  const server = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(options.path ? { path: options.path } : {}),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
};

/**
 * dynalite in a process of its own (infra-local/lite/dynalite-server.ts): its own CPU, and a process that can
 * be killed like a crashed database. Port 0 picks a free port. Resolves once it listens.
 */
export const startDynaliteProcess = (
  root: string,
  options: { port?: number; path?: string } = {},
): Promise<{ endpoint: string; port: number; child: ChildProcess }> =>
  new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        join(root, 'infra-local', 'lite', 'dynalite-server.ts'),
        '--port',
        String(options.port ?? 0),
        ...(options.path ? ['--path', options.path] : []),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /listening on (http:\/\/[^\s,]+)/.exec(output);
      if (match) resolve({ endpoint: match[1]!, port: Number(new URL(match[1]!).port), child });
    });
    child.once('exit', (code) => reject(new Error(`dynalite exited with code ${code} before listening`)));
  });

/** True when something answering the DynamoDB API listens at `endpoint` (dynalite or DynamoDB Local). */
export const dynamoReachable = async (endpoint: string, timeoutMs = 1000): Promise<boolean> => {
  const client = localDynamoClient(endpoint, { maxAttempts: 1 });
  try {
    await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(timeoutMs) });
    return true;
  } catch {
    return false;
  } finally {
    client.destroy();
  }
};

export interface LiteStores {
  dynamoEndpoint: string;
  sqlitePath: string;
  /** True when this call started dynalite itself (and `stop()` will stop it). */
  started: boolean;
  seeded: { tables: Record<string, string>; products?: number };
  stop(): Promise<void>;
}

/**
 * Makes the lite stores usable for a run: reuses a DynamoDB endpoint that already answers (from
 * `npm run dev:env`), or starts an in-memory dynalite on that port; creates missing tables; builds the
 * embedded SQL file when it does not exist. Stores it started, it stops in `stop()`.
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
  let running: RunningDynalite | undefined;
  // A store busy with a burst of writes can miss a short probe: ask again, patiently, before starting one.
  if (!(await dynamoReachable(dynamoEndpoint)) && !(await dynamoReachable(dynamoEndpoint, 5000))) {
    const url = new URL(dynamoEndpoint);
    try {
      running = await startDynalite({ host: url.hostname, port: Number(url.port) });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      throw new Error(
        `Something listens on ${dynamoEndpoint} but does not answer DynamoDB requests: stop it (npm run db:stop) or point DYNAMODB_ENDPOINT elsewhere`,
        { cause: error },
      );
    }
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

  return {
    dynamoEndpoint,
    sqlitePath,
    started: running !== undefined,
    seeded,
    stop: async () => {
      await running?.close();
    },
  };
};
