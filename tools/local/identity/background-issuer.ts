import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stateDir } from '#infra-local/lite/state-dir.ts';
import { issuerReachable, localKeyFile } from './ensure-issuer.ts';

const PID_FILE = 'issuer.pid';

/** The pid dev:env recorded, if that process is alive and still the issuer (a reused pid is left alone). */
const issuerPid = (root: string): number | undefined => {
  const file = join(stateDir(root), PID_FILE);
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    if (
      existsSync('/proc/self/cmdline') &&
      !readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('issuer-server')
    )
      return undefined;
  } catch {
    return undefined;
  }
  return pid;
};

/**
 * For `npm run dev:env`: the local issuer on TOKEN_ISSUER's loopback host and port, in a detached process
 * that outlives the command (pid and log in the lite state folder). Reuses one that already answers.
 */
export const startBackgroundIssuer = async (
  root: string,
  env: Record<string, string>,
): Promise<{ url: string; started: boolean; pid?: number }> => {
  const issuerUrl = env.TOKEN_ISSUER!;
  if (await issuerReachable(env.JWKS_URL!)) return { url: issuerUrl, started: false };
  const url = new URL(issuerUrl);
  const state = stateDir(root);
  mkdirSync(state, { recursive: true });
  const log = openSync(join(state, 'issuer.log'), 'a');
  const child = spawn(
    process.execPath,
    [
      join(root, 'tools', 'local', 'identity', 'issuer-server.ts'),
      '--host',
      url.hostname,
      '--port',
      url.port || '80',
      '--key-file',
      localKeyFile(root),
    ],
    { cwd: root, detached: true, stdio: ['ignore', log, log] },
  );
  child.unref();
  closeSync(log);
  writeFileSync(join(state, PID_FILE), String(child.pid));
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (await issuerReachable(env.JWKS_URL!, 500)) return { url: issuerUrl, started: true, pid: child.pid! };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(
    `the local issuer did not start at ${issuerUrl} (port taken?); see ${join(state, 'issuer.log')}`,
  );
};

/** For `npm run db:stop`: stops the issuer dev:env started, if it runs. True when it stopped one. */
export const stopBackgroundIssuer = async (root: string): Promise<number | undefined> => {
  const pid = issuerPid(root);
  rmSync(join(stateDir(root), PID_FILE), { force: true });
  if (pid === undefined) return undefined;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return pid;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  process.kill(pid, 'SIGKILL');
  return pid;
};
