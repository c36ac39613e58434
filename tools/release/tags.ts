import {
  PROMOTION_TARGETS,
  REQUIRED_PREVIOUS_STAGE,
  STAGE_TAG_SUFFIX,
  type PromotionTarget,
} from './constants.ts';
import { ReleaseVersionSchema } from './model.ts';
import { ReleaseError, StageOrderError, UsageError } from './errors.ts';
import type { GitRunner } from './git.ts';

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The promotion counts N already tagged for a version at a pre-release stage (`v1.4.0-qa.N`). */
export function stageTagNumbers(tags: readonly string[], version: string, suffix: string): number[] {
  const pattern = new RegExp(`^${escape(version)}-${escape(suffix)}\\.(\\d+)$`);
  return tags.flatMap((t) => {
    const m = pattern.exec(t);
    return m ? [Number(m[1])] : [];
  });
}

/** True when the version has passed the stage (its tag exists: tags are only written after a smoke pass). */
export function hasPassed(tags: readonly string[], version: string, stage: PromotionTarget): boolean {
  if (stage === 'prod') return tags.includes(version);
  return stageTagNumbers(tags, version, STAGE_TAG_SUFFIX[stage]).length > 0;
}

/** Refuses a promotion that would skip a stage: UAT needs a QA pass, PROD needs a UAT pass. */
export function assertStageOrder(tags: readonly string[], version: string, target: PromotionTarget): void {
  const previous = REQUIRED_PREVIOUS_STAGE[target];
  if (previous && !hasPassed(tags, version, previous)) {
    throw new StageOrderError(
      `${version} cannot be promoted to ${target}: it has not passed ${previous} yet (no ${previous} tag)`,
    );
  }
}

/**
 * The tag a successful promotion records: `vX.Y.Z-qa.N`, `vX.Y.Z-rc.N` (N counts promotions of the version
 * to that stage), or the clean `vX.Y.Z` for PROD, which can only be released once.
 */
export function computeStageTag(tags: readonly string[], version: string, target: PromotionTarget): string {
  if (!ReleaseVersionSchema.safeParse(version).success) throw new UsageError(`invalid version "${version}"`);
  if (!PROMOTION_TARGETS.includes(target)) throw new UsageError(`invalid target "${target}"`);
  assertStageOrder(tags, version, target);
  if (target === 'prod') {
    if (tags.includes(version)) throw new ReleaseError(`${version} is already released to prod (tag exists)`);
    return version;
  }
  const suffix = STAGE_TAG_SUFFIX[target];
  const n = Math.max(0, ...stageTagNumbers(tags, version, suffix)) + 1;
  return `${version}-${suffix}.${n}`;
}

/** All tags of the repository. */
export async function listTags(git: GitRunner): Promise<string[]> {
  return (await git(['tag', '--list'])).split('\n').filter(Boolean);
}

/** Creates an annotated tag on the build commit; promotion never moves or rebuilds anything. */
export async function createTag(git: GitRunner, tag: string, commit: string, message: string): Promise<void> {
  await git(['cat-file', '-e', `${commit}^{commit}`]).catch(() => {
    throw new ReleaseError(`commit ${commit} is not in this repository; fetch full history before tagging`);
  });
  await git(['tag', '-a', tag, commit, '-m', message]);
}
