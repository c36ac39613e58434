import { DEPLOY_PREREQUISITE, type Environment } from './constants.ts';
import type { PromotionFunction, PromotionRecord } from './model.ts';
import { DeploymentError, ReleaseError, SmokeTestError, StageOrderError, UsageError } from './errors.ts';
import type { DeployTarget, FunctionDeployment } from './deploy-targets/target.ts';
import type { Vault, VerifiedArtifact } from './vault.ts';

export interface DeployVersionOptions {
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
 * Deploys the vault's bytes of a version to one environment: verify every artifact first, deploy each,
 * smoke-test each, and roll every alias back if anything fails. Each outcome is recorded in the vault.
 */
export async function deployVersion(opts: DeployVersionOptions): Promise<DeployOutcome> {
  const { vault, target, env, version, actor, run, log = () => {} } = opts;
  const manifest = await vault.readManifest(version);
  const prerequisite = DEPLOY_PREREQUISITE[env];
  if (prerequisite) {
    const passed = (await vault.listPromotions(version)).some(
      (r) => r.environment === prerequisite && r.result === 'smoke-passed',
    );
    if (!passed) {
      throw new StageOrderError(
        `${version} cannot be deployed to ${env}: it has not passed ${prerequisite} (no smoke-passed record in the vault)`,
      );
    }
  }
  const wanted = opts.functions?.length ? new Set(opts.functions) : null;
  const files = manifest.files.filter((f) => !wanted || wanted.has(baseNameOf(f.name)));
  if (wanted) {
    const unknown = [...wanted].filter((w) => !files.some((f) => baseNameOf(f.name) === w));
    if (unknown.length) throw new UsageError(`${version} has no artifact for: ${unknown.join(', ')}`);
  }

  // Every download is verified before the first deployment, so a tampered file stops everything up front.
  const artifacts: VerifiedArtifact[] = [];
  for (const file of files) {
    artifacts.push(await vault.fetchVerified(version, file));
    log(`verified ${version}/${file.name} sha256:${file.sha256}`);
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

  const deployments: FunctionDeployment[] = [];
  const rollBackAll = async () => {
    for (const dep of [...deployments].reverse()) {
      await target.rollback(dep);
      log(
        `rolled back ${dep.functionName} live -> ${dep.previousVersion ?? '(removed: no previous version)'}`,
      );
    }
  };

  try {
    for (const artifact of artifacts) {
      const baseName = baseNameOf(artifact.file.name);
      const functionName = `${baseName}-${env}`;
      const dep = await target.deploy({ baseName, env, functionName, releaseVersion: version, artifact });
      deployments.push(dep);
      log(`deployed ${functionName}: live -> ${dep.deployedVersion} (was ${dep.previousVersion ?? 'none'})`);
    }
  } catch (err) {
    await rollBackAll();
    await record('deploy-failed', describe(true), (err as Error).message);
    if (err instanceof ReleaseError) throw err;
    throw new DeploymentError(`deployment of ${version} to ${env} failed: ${(err as Error).message}`);
  }
  await record('deployed', describe());

  const failures: string[] = [];
  for (const dep of deployments) {
    const smoke = await target.smokeTest(dep.functionName);
    log(`smoke ${dep.functionName}: ${smoke.ok ? 'passed' : 'FAILED'} (${smoke.detail})`);
    if (!smoke.ok) failures.push(`${dep.functionName}: ${smoke.detail}`);
  }
  if (failures.length) {
    await rollBackAll();
    await record('smoke-failed', describe(true), failures.join('; '));
    throw new SmokeTestError(
      `smoke test failed in ${env} for ${version} (alias rolled back): ${failures.join('; ')}`,
    );
  }
  await record('smoke-passed', describe());
  return { version, env, deployments, records };
}
