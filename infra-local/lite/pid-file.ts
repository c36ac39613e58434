import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stateDir } from './paths.ts';

export const DYNALITE_PID_FILE = 'dynalite.pid';

/** The pid recorded by dev:env, if that process is still alive. */
export const readPid = (root: string, file: string): number | undefined => {
  const path = join(stateDir(root), file);
  if (!existsSync(path)) return undefined;
  const pid = Number(readFileSync(path, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
};
