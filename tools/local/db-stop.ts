// Stops whichever local stores are running: the lite DynamoDB Local left running by `npm run dev:env`,
// `invoke` or `start-api`, and the Docker
// stack (`docker compose down`; the named volumes keep Oracle's and DynamoDB Local's data).
// Safe to run when nothing is running.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand } from '#infra-local/docker/command-runner.ts';
import {
  DockerStackError,
  dockerEngineAnswers,
  stackContainers,
  stopDockerStack,
} from '#infra-local/docker/compose-stack.ts';
import { repoRoot } from '#build/paths.ts';
import { stateDir } from '#infra-local/lite/state-dir.ts';
import { DYNAMODB_PID_FILE, readPid } from '#infra-local/lite/pid-file.ts';
import { stopBackgroundIssuer } from './identity/background-issuer.ts';

const root = repoRoot();
const say = (line: string) => process.stdout.write(`db:stop: ${line}\n`);
let stopped = 0;

const pid = readPid(root, DYNAMODB_PID_FILE);
const pidFile = join(stateDir(root), DYNAMODB_PID_FILE);
if (pid === undefined) {
  rmSync(pidFile, { force: true });
} else {
  // SIGKILL: a JVM sent SIGTERM can linger; DynamoDB Local commits each write, so nothing stored is lost.
  process.kill(pid, 'SIGKILL');
  const deadline = Date.now() + 5000;
  while (readPid(root, DYNAMODB_PID_FILE) !== undefined && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  rmSync(pidFile, { force: true });
  say(`stopped DynamoDB Local (pid ${pid}); its data stays in .local/dynamodb`);
  stopped += 1;
}

const issuerPid = await stopBackgroundIssuer(root);
if (issuerPid !== undefined) {
  say(`stopped the local OIDC issuer (pid ${issuerPid}); its key stays in .local/identity`);
  stopped += 1;
}

// Only ask Docker when an engine answers quickly: on a machine without Docker this costs nothing.
if (await dockerEngineAnswers(runCommand)) {
  const containers = await stackContainers(runCommand, root);
  if (containers.length > 0) {
    try {
      await stopDockerStack(runCommand, root);
    } catch (error) {
      if (!(error instanceof DockerStackError)) throw error;
      process.stderr.write(`db:stop: ${error.message}\n`);
      process.exit(1);
    }
    say(`stopped the Docker stack (${containers.length} container(s)); data stays in its named volumes`);
    stopped += 1;
  }
}

if (stopped === 0) say('nothing running (no lite stores from dev:env, no Docker stack)');
