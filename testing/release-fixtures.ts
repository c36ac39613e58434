import { execFileSync, spawn } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import yazl from 'yazl';
import { startLocalS3 } from '#tools/release/local-s3.ts';
import { createVaultS3Client } from '#tools/release/s3-client.ts';
import { Vault } from '#tools/release/vault.ts';
import type { Environment, PromotionResult } from '#tools/release/constants.ts';
import type { Manifest } from '#tools/release/model.ts';

/** A handler that answers the health check like the real functions do, reporting its STAGE. */
export const HEALTHY_HANDLER = `export const handler = async (event) =>
  event && event.health_check
    ? { statusCode: 200, body: JSON.stringify({ status: 'ok', stage: process.env.STAGE ?? null }) }
    : { statusCode: 400, body: '{}' };
`;

export const UNHEALTHY_HANDLER = `export const handler = async () => ({ statusCode: 503, body: '{"status":"degraded"}' });
`;

export const CRASHING_HANDLER = `export const handler = async () => { throw new TypeError('boom'); };
`;

/** Deterministic zip bytes (fixed mtime, sorted entries), like the real build. */
export function makeZip(files: Record<string, string>): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const zip = new yazl.ZipFile();
    for (const name of Object.keys(files).sort()) {
      zip.addBuffer(Buffer.from(files[name] ?? ''), name, {
        mtime: new Date('2000-01-01T00:00:00Z'),
        mode: 0o100644,
      });
    }
    zip.end();
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}

/** A temp `dist/` holding `<name>.zip` for each function, each with an `index.mjs`. */
export async function makeDist(functions: Record<string, string>): Promise<string> {
  const dist = await tempDir('dist-');
  for (const [name, source] of Object.entries(functions)) {
    await writeFile(path.join(dist, `${name}.zip`), await makeZip({ 'index.mjs': source }));
  }
  // The real build also writes non-zip files next to the zips; the vault must ignore them.
  await mkdir(path.join(dist, Object.keys(functions)[0] ?? 'x'), { recursive: true });
  return dist;
}

export function tempDir(prefix: string): Promise<string> {
  return mkdtemp(path.join(tmpdir(), `release-${prefix}`));
}

/** Runs git synchronously in a directory, returning trimmed stdout. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Test',
      GIT_AUTHOR_EMAIL: 'test@example.com',
      GIT_COMMITTER_NAME: 'Test',
      GIT_COMMITTER_EMAIL: 'test@example.com',
    },
  }).trim();
}

/** A scratch repository with one empty commit per message, oldest first. */
export async function makeRepo(messages: readonly string[]): Promise<string> {
  const dir = await tempDir('repo-');
  git(dir, 'init', '--quiet', '--initial-branch=main');
  git(dir, 'config', 'user.name', 'Test');
  git(dir, 'config', 'user.email', 'test@example.com');
  git(dir, 'config', 'tag.gpgSign', 'false');
  git(dir, 'config', 'commit.gpgSign', 'false');
  for (const message of messages) commit(dir, message);
  return dir;
}

export function commit(dir: string, message: string): string {
  git(dir, 'commit', '--quiet', '--allow-empty', '-m', message);
  return git(dir, 'rev-parse', 'HEAD');
}

/**
 * A real s3rver (in its own process, the only one with the OpenSSL legacy provider) on an ephemeral port
 * with one bucket, and a Vault on it. The vault writes no promotion records until bound to a stage
 * (`vault.forStage(env)`), as in the pipeline.
 */
export async function startTestVault(bucket = 'test-vault', clock?: () => Date, pageSize?: number) {
  const dir = await tempDir('s3-');
  const s3 = await startLocalS3(dir, [bucket]);
  const client = createVaultS3Client({ endpoint: s3.endpoint });
  const vault = new Vault({
    bucket,
    s3: client,
    ...(clock ? { clock } : {}),
    ...(pageSize ? { pageSize } : {}),
  });
  return {
    vault,
    client,
    bucket,
    endpoint: s3.endpoint,
    async close() {
      client.destroy();
      await s3.close();
    },
  };
}

/** Records, as `env`'s own stage, that every function of the manifest passed its smoke test there. */
export function recordPass(
  vault: Vault,
  manifest: Manifest,
  env: Environment,
  result: PromotionResult = 'smoke-passed',
) {
  return vault.forStage(env).recordPromotion({
    version: manifest.version,
    environment: env,
    result,
    actor: 'test',
    at: vault.now().toISOString(),
    run: `run-${env}`,
    commit: manifest.commit,
    functions: manifest.files.map((f) => ({
      functionName: `${f.name.replace(/\.zip$/, '')}-${env}`,
      file: f.name,
      sha256: f.sha256,
    })),
  });
}

/** A clock that advances one second per call, so records get distinct, ordered timestamps. */
export function steppingClock(start = '2026-01-01T00:00:00.000Z'): () => Date {
  let t = Date.parse(start);
  return () => new Date((t += 1000));
}

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a release CLI the way npm scripts do (Node 22 type stripping, from the repo root, and without
 * `--openssl-legacy-provider`, like every command that talks to AWS). Asynchronous so servers running
 * inside the test process keep answering the child.
 */
export function runCli(
  script: string,
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], {
      cwd: process.cwd(),
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

export const CLI = {
  version: 'tools/release/cli/version.ts',
  tag: 'tools/release/cli/tag.ts',
  upload: 'tools/release/cli/vault-upload.ts',
  status: 'tools/release/cli/vault-status.ts',
  record: 'tools/release/cli/vault-record.ts',
  deploy: 'tools/release/cli/deploy.ts',
  rehearse: 'tools/release/cli/rehearse.ts',
  notes: 'tools/release/cli/release-notes.ts',
  stackPlan: 'tools/release/cli/stack-plan.ts',
} as const;
