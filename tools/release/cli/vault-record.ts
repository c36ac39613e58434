import { parseArgs } from 'node:util';
import { PROMOTION_RESULTS, type Environment } from '../constants.ts';
import { UsageError } from '../errors.ts';
import { actorAndRun, out, required, runCli, stageVaultFrom } from '../cli-support.ts';
import { approvalFunctions } from '../promotions.ts';

// npm run vault:record -- --version vX.Y.Z --env qa --result approved|abandoned [--actor a] [--note text]
// For the events a human causes: a gate approval, or abandoning a version to the graveyard. Only the stage's
// own job may write its records (RELEASE_STAGE in CI; the stage's AWS role enforces it on the bucket).
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
  const result = required(values.result, 'result');
  if (result !== 'approved' && result !== 'abandoned') {
    throw new UsageError(
      `--result must be approved or abandoned (others are written by deploy; all: ${PROMOTION_RESULTS})`,
    );
  }
  const vault = stageVaultFrom({ bucket: values.bucket }, env);
  const version = required(values.version, 'version');
  // An approval is of the bytes pinned at first upload; it records their checksums, which deploy compares.
  const manifest =
    result === 'approved' ? await vault.readPinnedManifest(version) : await vault.readManifest(version);
  const ctx = actorAndRun();
  const key = await vault.recordPromotion({
    version,
    environment: env as Environment,
    result,
    actor: values.actor || ctx.actor,
    at: vault.now().toISOString(),
    run: ctx.run,
    commit: manifest.commit,
    functions: result === 'approved' ? approvalFunctions(manifest, env as Environment) : [],
    ...(values.note ? { note: values.note } : {}),
  });
  out(`s3://${vault.bucket}/${key}`);
});
