// Stops the stores `npm run dev:env` started. Safe to run when nothing is running.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, stateDir } from '../../infra-local/lite/paths.ts';
import { DYNALITE_PID_FILE, readPid } from '../../infra-local/lite/pid-file.ts';

const root = repoRoot();
const pid = readPid(root, DYNALITE_PID_FILE);
const pidFile = join(stateDir(root), DYNALITE_PID_FILE);

if (pid === undefined) {
  rmSync(pidFile, { force: true });
  process.stdout.write('db:stop: no lite stores running (nothing started by dev:env)\n');
} else {
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 5000;
  while (readPid(root, DYNALITE_PID_FILE) !== undefined && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (readPid(root, DYNALITE_PID_FILE) !== undefined) process.kill(pid, 'SIGKILL');
  rmSync(pidFile, { force: true });
  process.stdout.write(`db:stop: stopped dynalite (pid ${pid}); its data stays in .local/dynamodb\n`);
}
