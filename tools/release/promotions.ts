import type { Environment } from './constants.ts';
import type { Manifest, ManifestFile, PromotionFunction, PromotionRecord } from './model.ts';
import { ArtifactIntegrityError, StageOrderError } from './errors.ts';

export interface FunctionVerdict {
  result: PromotionRecord['result'];
  at: string;
  sha256: string;
}

/**
 * What one stage's records say about each artifact (by zip name), read in time order: every record that
 * lists a function overwrites what an earlier one said, so a later smoke-failed or deploy-failed outranks an
 * earlier smoke-passed. Records that list no function (a gate approval) say nothing about the code.
 */
export function stageVerdicts(
  records: readonly PromotionRecord[],
  env: Environment,
): Map<string, FunctionVerdict> {
  const verdicts = new Map<string, FunctionVerdict>();
  for (const r of records) {
    if (r.environment !== env || r.result === 'approved') continue;
    for (const f of r.functions) verdicts.set(f.file, { result: r.result, at: r.at, sha256: f.sha256 });
  }
  return verdicts;
}

/** The first abandoned record: abandoning a version ends it in every environment, whatever came before. */
export function abandonment(records: readonly PromotionRecord[]): PromotionRecord | null {
  return records.find((r) => r.result === 'abandoned') ?? null;
}

/**
 * Refuses a deployment the records do not allow: an abandoned version, a function the previous stage did not
 * pass last (or passed with other bytes), or checksums that differ from the ones this stage's gate approved.
 */
export function assertDeployable(opts: {
  records: readonly PromotionRecord[];
  manifest: Manifest;
  files: readonly ManifestFile[];
  env: Environment;
  prerequisite: Environment | null;
}): void {
  const { records, manifest, files, env, prerequisite } = opts;
  const version = manifest.version;
  const abandoned = abandonment(records);
  if (abandoned) {
    throw new StageOrderError(
      `${version} was abandoned in ${abandoned.environment} by ${abandoned.actor} at ${abandoned.at}; it is never deployed again`,
    );
  }
  if (prerequisite) {
    const verdicts = stageVerdicts(records, prerequisite);
    for (const file of files) {
      const verdict = verdicts.get(file.name);
      if (!verdict || verdict.result !== 'smoke-passed') {
        throw new StageOrderError(
          `${version} cannot be deployed to ${env}: ${file.name} has not passed ${prerequisite}` +
            (verdict
              ? ` (its latest ${prerequisite} record, at ${verdict.at}, is ${verdict.result})`
              : ' (no smoke-passed record in the vault)'),
        );
      }
      if (verdict.sha256 !== file.sha256) {
        throw new ArtifactIntegrityError(
          `${version}/${file.name} has sha256 ${file.sha256}, but ${prerequisite} passed ${verdict.sha256}; refusing to deploy ${version}`,
        );
      }
    }
  }
  // The gate's approval records the checksums the reviewers saw; the latest one must still hold.
  const approval = records.filter((r) => r.environment === env && r.result === 'approved').at(-1);
  for (const approved of approval?.functions ?? []) {
    const file = files.find((f) => f.name === approved.file);
    if (file && file.sha256 !== approved.sha256) {
      throw new ArtifactIntegrityError(
        `${version}/${file.name} has sha256 ${file.sha256}, but the ${env} approval recorded ${approved.sha256}; refusing to deploy ${version}`,
      );
    }
  }
}

/** What a gate approval records: the checksums the reviewers approved, one line per function. */
export function approvalFunctions(manifest: Manifest, env: Environment): PromotionFunction[] {
  return manifest.files.map((f) => ({
    functionName: `${f.name.replace(/\.zip$/, '')}-${env}`,
    file: f.name,
    sha256: f.sha256,
  }));
}
