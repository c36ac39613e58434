import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stateDir } from './state-dir.ts';

/** The pid of the background DynamoDB Local (a JVM) that lite mode leaves running until `npm run db:stop`. */
export const DYNAMODB_PID_FILE = 'dynamodb-local.pid';

/**
 * True unless the OS says the pid now belongs to another program: a stale pid file must never make
 * db:stop signal an unrelated process that reused the number. Where /proc is missing (macOS), liveness is
 * all we can check.
 */
const isOurProcess = (pid: number): boolean => {
  const cmdline = `/proc/${pid}/cmdline`;
  if (!existsSync('/proc/self/cmdline')) return true;
  try {
    return readFileSync(cmdline, 'utf8').includes('DynamoDBLocal.jar');
  } catch {
    return false;
  }
};

/** The pid recorded by dev:env, if that process is still alive and still the lite store it started. */
export const readPid = (root: string, file: string): number | undefined => {
  const path = join(stateDir(root), file);
  if (!existsSync(path)) return undefined;
  const pid = Number(readFileSync(path, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
  } catch {
    return undefined;
  }
  return isOurProcess(pid) ? pid : undefined;
};
