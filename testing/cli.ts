import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestStores } from './test-stores.ts';
import { TEST_AUDIT_TABLE } from './test-stores.ts';

/** A CLI started with `node <script> ...args` from the repo root, its output collected as it comes. */
export interface RunningCli {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the first match of `pattern` in stdout or stderr (bounded by jest's test timeout). */
  waitFor: (pattern: RegExp, stream?: 'stdout' | 'stderr') => Promise<RegExpMatchArray>;
  exited: Promise<number | null>;
}

export const startCli = (script: string, args: string[], env: Record<string, string> = {}): RunningCli => {
  const child = spawn(process.execPath, [script, ...args], {
    cwd: process.cwd(),
    env: { ...process.env, NO_COLOR: '1', ...env },
  });
  let out = '';
  let err = '';
  const waiters: Array<() => void> = [];
  const notify = () => waiters.splice(0).forEach((waiter) => waiter());
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    notify();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString();
    notify();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const waitFor = (pattern: RegExp, stream?: 'stdout' | 'stderr') =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        const text = stream === 'stdout' ? out : stream === 'stderr' ? err : `${out}\n${err}`;
        const match = text.match(pattern);
        if (match) return resolve(match);
        if (child.exitCode !== null) return reject(new Error(`exited before ${pattern}:\n${out}\n${err}`));
        waiters.push(check);
      };
      child.once('exit', () => check());
      check();
    });
  return { child, stdout: () => out, stderr: () => err, waitFor, exited };
};

/**
 * A `--env-vars` file (SAM's format) that points every function at the test's stores, in a temp folder with
 * the lite state dir, so nothing touches a developer's `.local/`.
 */
export const envVarsFor = (
  stores: Pick<TestStores, 'endpoint' | 'sqlitePath'> | { endpoint: string; sqlitePath: string },
  /** The local issuer the authorizer trusts (a test's own, on an ephemeral port). */
  issuer?: { url: string; jwksUrl: string },
): { file: string; stateDir: string; cleanup: () => void } => {
  const dir = mkdtempSync(join(tmpdir(), 'pricing-cli-'));
  const file = join(dir, 'env.json');
  writeFileSync(
    file,
    JSON.stringify({
      Parameters: {
        DYNAMODB_ENDPOINT: stores.endpoint,
        SQLITE_PATH: stores.sqlitePath,
        AUDIT_TABLE: TEST_AUDIT_TABLE,
        LOG_LEVEL: 'WARN',
      },
      ...(issuer ? { AuthorizerFunction: { JWKS_URL: issuer.jwksUrl, TOKEN_ISSUER: issuer.url } } : {}),
    }),
  );
  return { file, stateDir: join(dir, 'state'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
};
