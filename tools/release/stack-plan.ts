import type { Environment } from './constants.ts';
import type { GitRunner } from './git.ts';
import { stageVerdicts } from './promotions.ts';
import type { Vault } from './vault.ts';

/** The folder of the CDK app: a change there means the environment's stack is deployed before its code. */
export const STACK_DIR = 'infra/';

export interface StackPlan {
  /** The commit the version was built from: the stack is deployed from this very commit. */
  commit: string;
  /** The commit of the version `env` serves now (its latest full pass), or null when it serves none. */
  since: string | null;
  /** True when `infra/` differs between `since` and `commit`, or nothing was ever deployed there. */
  changed: boolean;
}

/**
 * Whether promoting `version` to `env` must deploy the stack first: the vault says which version the
 * environment serves (the latest one whose every function passed there), and git whether `infra/` changed
 * between that version's commit and this one's.
 */
export async function planStack(opts: {
  vault: Vault;
  git: GitRunner;
  env: Environment;
  version: string;
}): Promise<StackPlan> {
  const { vault, git, env, version } = opts;
  const commit = (await vault.readPinnedManifest(version)).commit;
  let serving: { at: string; version: string } | null = null;
  for (const candidate of await vault.listVersions()) {
    if (candidate === version) continue;
    const verdicts = [...stageVerdicts(await vault.listPromotions(candidate), env).values()];
    if (!verdicts.length || verdicts.some((v) => v.result !== 'smoke-passed')) continue;
    const at = verdicts
      .map((v) => v.at)
      .sort()
      .at(-1)!;
    if (!serving || at > serving.at) serving = { at, version: candidate };
  }
  const since = serving ? (await vault.readManifest(serving.version)).commit : null;
  if (!since) return { commit, since, changed: true };
  const changed = await git(['diff', '--quiet', since, commit, '--', STACK_DIR]).then(
    () => false,
    // Exit 1 means a difference; a commit missing from this clone counts as a change too (deploy to be sure).
    () => true,
  );
  return { commit, since, changed };
}
