import { parseArgs } from 'node:util';
import { PROMOTION_TARGETS, type PromotionTarget } from '../constants.ts';
import { UsageError } from '../errors.ts';
import { info, out, required, runCli, vaultFrom } from '../cli-support.ts';
import { createGitRunner } from '../git.ts';
import { computeStageTag, createTag, listTags } from '../tags.ts';

// npm run release:tag -- --to qa|uat|prod --version vX.Y.Z [--create [--commit <sha>]] [--repo <dir>]
// Prints the tag this promotion records (refusing a skipped stage). --create also writes it on the build
// commit, read from the vault manifest unless --commit is given; pushing is left to the caller.
runCli(async () => {
  const { values } = parseArgs({
    options: {
      to: { type: 'string' },
      version: { type: 'string' },
      create: { type: 'boolean' },
      commit: { type: 'string' },
      repo: { type: 'string' },
      bucket: { type: 'string' },
    },
  });
  const to = required(values.to, 'to');
  if (!(PROMOTION_TARGETS as readonly string[]).includes(to)) {
    throw new UsageError(`--to must be one of ${PROMOTION_TARGETS.join(', ')}`);
  }
  const version = required(values.version, 'version');
  const git = createGitRunner(values.repo);
  const tag = computeStageTag(await listTags(git), version, to as PromotionTarget);
  if (values.create) {
    const commit = values.commit ?? (await vaultFrom({ bucket: values.bucket }).readManifest(version)).commit;
    await createTag(git, tag, commit, `${version} promoted to ${to}`);
    info(`tagged ${commit.slice(0, 7)} as ${tag}`);
  }
  out(tag);
});
