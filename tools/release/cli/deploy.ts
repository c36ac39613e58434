import { parseArgs } from 'node:util';
import { ENVIRONMENTS, type Environment } from '../constants.ts';
import { actorAndRun, info, out, required, runCli, stageVaultFrom } from '../cli-support.ts';
import { deployVersion } from '../deploy.ts';
import { UsageError } from '../errors.ts';
import { createTarget } from '../targets.ts';

// npm run deploy -- --env dev|qa|uat|prod|dr --version vX.Y.Z [--function <name>]... [--target aws|local]
runCli(async () => {
  const { values } = parseArgs({
    options: {
      env: { type: 'string' },
      version: { type: 'string' },
      function: { type: 'string', multiple: true },
      target: { type: 'string', default: process.env.DEPLOY_TARGET ?? 'aws' },
      'local-root': { type: 'string' },
      bucket: { type: 'string' },
    },
  });
  const env = required(values.env, 'env');
  if (!(ENVIRONMENTS as readonly string[]).includes(env)) {
    throw new UsageError(`--env must be one of ${ENVIRONMENTS.join(', ')}`);
  }
  if (values.target !== 'aws' && values.target !== 'local')
    throw new UsageError('--target must be aws or local');
  const outcome = await deployVersion({
    vault: stageVaultFrom({ bucket: values.bucket }, env),
    target: createTarget(values.target, env as Environment, values['local-root']),
    env: env as Environment,
    version: required(values.version, 'version'),
    functions: values.function ?? [],
    ...actorAndRun(),
    log: info,
  });
  out(
    `${outcome.version} is live in ${outcome.env}: ${outcome.deployments.map((d) => d.functionName).join(', ')}`,
  );
});
