import { DEPLOY_PREREQUISITE, type Environment } from './constants.ts';
import type { PromotionFunction, PromotionRecord } from './model.ts';
import {
  DeploymentError,
  RecordWriterError,
  ReleaseError,
  SmokeTestError,
  TrafficShiftError,
  UsageError,
} from './errors.ts';
import { assertDeployable } from './promotions.ts';
import type { DeployTarget, FunctionDeployment } from './deploy-targets/target.ts';
import type { Vault, VerifiedArtifact } from './vault.ts';

export interface DeployVersionOptions {
  /** The vault, bound to `env` (Vault.forStage): a stage writes only its own promotion records. */
  vault: Vault;
  target: DeployTarget;
  env: Environment;
  version: string;
  /** Base function names to deploy; all functions of the manifest when empty. */
  functions?: readonly string[];
  actor: string;
  run: string;
  log?: (line: string) => void;
}

export interface DeployOutcome {
  version: string;
  env: Environment;
  deployments: FunctionDeployment[];
  records: string[];
}

const baseNameOf = (fileName: string) => fileName.replace(/\.zip$/, '');

/**
 * Deploys the vault's bytes of a version to one environment:
 * 1. the manifest must match the checksums pinned at first upload, the previous stage must have passed
 *    every function last (records read in time order) with these very checksums, and every zip is
 *    downloaded and verified before anything is touched;
 * 2. each function's code is installed and published as a new version, with `live` untouched;
 * 3. each published version is smoke-tested by its number; a failure ends here, and callers never saw it;
 * 4. `live` moves (gradually in PROD, where CodeDeploy rolls it back on an alarm); if any function's shift
 *    fails, every alias this run moved goes back.
 * Each outcome is recorded in the vault: `deployed` (published), then `smoke-failed`, `deploy-failed` or
 * `smoke-passed` (live and serving the tested version).
 */
export async function deployVersion(opts: DeployVersionOptions): Promise<DeployOutcome> {
  const { vault, target, env, version, actor, run, log = () => {} } = opts;
  if (vault.recordsFor !== env) {
    throw new RecordWriterError(
      `a deployment to ${env} writes ${env} records, but this vault client writes ${vault.recordsFor ?? 'none'}`,
    );
  }
  const manifest = await vault.readPinnedManifest(version);
  const wanted = opts.functions?.length ? new Set(opts.functions) : null;
  const files = manifest.files.filter((f) => !wanted || wanted.has(baseNameOf(f.name)));
  if (wanted) {
    const unknown = [...wanted].filter((w) => !files.some((f) => baseNameOf(f.name) === w));
    if (unknown.length) throw new UsageError(`${version} has no artifact for: ${unknown.join(', ')}`);
  }
  assertDeployable({
    records: await vault.listPromotions(version),
    manifest,
    files,
    env,
    prerequisite: DEPLOY_PREREQUISITE[env],
  });

  // Every download is verified before the first deployment, so a tampered file stops everything up front.
  const artifacts: VerifiedArtifact[] = [];
  for (const file of files) {
    artifacts.push(await vault.fetchVerified(version, file));
    log(`verified ${version}/${file.name} sha256:${file.sha256} (pinned at first upload)`);
  }

  const records: string[] = [];
  const record = async (result: PromotionRecord['result'], functions: PromotionFunction[], note?: string) => {
    records.push(
      await vault.recordPromotion({
        version,
        environment: env,
        result,
        actor,
        at: vault.now().toISOString(),
        run,
        commit: manifest.commit,
        functions,
        ...(note ? { note } : {}),
      }),
    );
  };
  const deployments: FunctionDeployment[] = [];
  const describe = (rolledBack = false) =>
    artifacts.map((a, i): PromotionFunction => {
      const dep = deployments[i];
      return {
        functionName: `${baseNameOf(a.file.name)}-${env}`,
        file: a.file.name,
        sha256: a.file.sha256,
        ...(dep ? { deployedVersion: dep.deployedVersion } : {}),
        ...(dep && rolledBack ? { rolledBackTo: dep.previousVersion } : {}),
      };
    });

  try {
    for (const artifact of artifacts) {
      const baseName = baseNameOf(artifact.file.name);
      const functionName = `${baseName}-${env}`;
      const dep = await target.publish({ baseName, env, functionName, releaseVersion: version, artifact });
      deployments.push(dep);
      log(
        `published ${functionName} version ${dep.deployedVersion}; live stays at ${dep.previousVersion ?? 'none'}`,
      );
    }
  } catch (err) {
    await record('deploy-failed', describe(), `live not moved: ${(err as Error).message}`);
    if (err instanceof ReleaseError) throw err;
    throw new DeploymentError(`deployment of ${version} to ${env} failed: ${(err as Error).message}`);
  }
  await record('deployed', describe(), 'published; live moves only after the smoke test passes');

  const failures: string[] = [];
  for (const dep of deployments) {
    const smoke = await target.smokeTest(dep.functionName, dep.deployedVersion);
    log(
      `smoke ${dep.functionName} version ${dep.deployedVersion}: ${smoke.ok ? 'passed' : 'FAILED'} (${smoke.detail})`,
    );
    if (!smoke.ok) failures.push(`${dep.functionName}: ${smoke.detail}`);
  }
  if (failures.length) {
    await record('smoke-failed', describe(), `live not moved; ${failures.join('; ')}`);
    throw new SmokeTestError(
      `smoke test failed in ${env} for ${version} (live never moved): ${failures.join('; ')}`,
    );
  }

  // Each function's traffic moves at the same time: one canary's 5 minutes, not one per function.
  const shifts = await Promise.allSettled(deployments.map((dep) => target.shiftTraffic(dep, log)));
  const shiftFailures = shifts.flatMap((s, i) =>
    s.status === 'rejected' ? [`${deployments[i]!.functionName}: ${(s.reason as Error).message}`] : [],
  );
  if (shiftFailures.length) {
    for (const dep of [...deployments].reverse()) {
      await target.rollback(dep);
      log(
        `rolled back ${dep.functionName} live -> ${dep.previousVersion ?? '(removed: no previous version)'}`,
      );
    }
    await record('deploy-failed', describe(true), shiftFailures.join('; '));
    const rolledBack = shifts.some((s) => s.status === 'rejected' && s.reason instanceof TrafficShiftError);
    throw new (rolledBack ? TrafficShiftError : DeploymentError)(
      `traffic shift failed in ${env} for ${version} (live rolled back): ${shiftFailures.join('; ')}`,
    );
  }
  for (const dep of deployments) log(`live ${dep.functionName} -> ${dep.deployedVersion}`);
  await record('smoke-passed', describe(), 'smoke test passed on the published versions before live moved');
  return { version, env, deployments, records };
}
