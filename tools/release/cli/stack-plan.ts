import { parseArgs } from 'node:util';
import { ENVIRONMENTS, type Environment } from '../constants.ts';
import { info, out, required, runCli, vaultFrom } from '../cli-support.ts';
import { UsageError } from '../errors.ts';
import { createGitRunner } from '../git.ts';
import { planStack, STACK_DIR } from '../stack-plan.ts';

// npm run -s release:stack-plan -- --env qa --version vX.Y.Z [--repo <dir>] >> "$GITHUB_OUTPUT"
// Prints commit=<sha>, since=<sha|none> and changed=true|false: whether the environment's stack must be
// deployed (from that commit) before the version's code is promoted to it.
runCli(async () => {
  const { values } = parseArgs({
    options: {
      env: { type: 'string' },
      version: { type: 'string' },
      repo: { type: 'string' },
      bucket: { type: 'string' },
    },
  });
  const env = required(values.env, 'env');
  if (!(ENVIRONMENTS as readonly string[]).includes(env)) {
    throw new UsageError(`--env must be one of ${ENVIRONMENTS.join(', ')}`);
  }
  const version = required(values.version, 'version');
  const plan = await planStack({
    vault: vaultFrom({ bucket: values.bucket }),
    git: createGitRunner(values.repo),
    env: env as Environment,
    version,
  });
  info(
    plan.since === null
      ? `${env} serves no version yet: deploy its stack from ${plan.commit.slice(0, 7)}`
      : plan.changed
        ? `${STACK_DIR} changed between ${plan.since.slice(0, 7)} (served by ${env}) and ${plan.commit.slice(0, 7)}: deploy the stack first`
        : `${STACK_DIR} unchanged since ${plan.since.slice(0, 7)} (served by ${env}): no stack deployment`,
  );
  out(`commit=${plan.commit}\nsince=${plan.since ?? 'none'}\nchanged=${plan.changed}`);
});
