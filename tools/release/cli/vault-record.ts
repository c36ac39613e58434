import { parseArgs } from 'node:util';
import { ENVIRONMENTS, PROMOTION_RESULTS, type Environment } from '../constants.ts';
import { UsageError } from '../errors.ts';
import { actorAndRun, out, required, runCli, vaultFrom } from '../cli-support.ts';

// npm run vault:record -- --version vX.Y.Z --env qa --result approved|abandoned [--actor a] [--note text]
// For the events a human causes: a gate approval, or abandoning a version to the graveyard.
runCli(async () => {
  const { values } = parseArgs({
    options: {
      version: { type: 'string' },
      env: { type: 'string' },
      result: { type: 'string' },
      actor: { type: 'string' },
      note: { type: 'string' },
      bucket: { type: 'string' },
    },
  });
  const env = required(values.env, 'env');
  if (!(ENVIRONMENTS as readonly string[]).includes(env))
    throw new UsageError(`--env must be one of ${ENVIRONMENTS}`);
  const result = required(values.result, 'result');
  if (result !== 'approved' && result !== 'abandoned') {
    throw new UsageError(
      `--result must be approved or abandoned (others are written by deploy; all: ${PROMOTION_RESULTS})`,
    );
  }
  const vault = vaultFrom({ bucket: values.bucket });
  const version = required(values.version, 'version');
  const manifest = await vault.readManifest(version);
  const ctx = actorAndRun();
  const key = await vault.recordPromotion({
    version,
    environment: env as Environment,
    result,
    actor: values.actor || ctx.actor,
    at: vault.now().toISOString(),
    run: ctx.run,
    commit: manifest.commit,
    functions: [],
    ...(values.note ? { note: values.note } : {}),
  });
  out(`s3://${vault.bucket}/${key}`);
});
