import type { Environment } from '../constants.ts';
import type { SmokeResult } from '../smoke.ts';
import type { VerifiedArtifact } from '../vault.ts';

export interface DeployRequest {
  /** Base function name, e.g. `price-fetcher`. */
  baseName: string;
  env: Environment;
  /** Deployed function name, `<function>-<env>`. */
  functionName: string;
  releaseVersion: string;
  artifact: VerifiedArtifact;
}

export interface FunctionDeployment {
  baseName: string;
  env: Environment;
  functionName: string;
  releaseVersion: string;
  /** The immutable version `publish` created: smoke-tested by number before `live` moves to it. */
  deployedVersion: string;
  /** What `live` pointed at before, or null on a first deployment. */
  previousVersion: string | null;
}

/**
 * Where a verified artifact gets deployed: AWS Lambda for real, a folder per environment for rehearsals.
 * The order is always publish, smoke-test the published version, then move `live`: callers never reach an
 * untested version.
 */
export interface DeployTarget {
  readonly kind: string;
  /** Installs the code and publishes an immutable version; `live` does not move. */
  publish(request: DeployRequest): Promise<FunctionDeployment>;
  /** Invokes the health check on one version of the function (a version number, or the `live` alias). */
  smokeTest(functionName: string, qualifier: string): Promise<SmokeResult>;
  /**
   * Moves `live` to the published version: at once, or gradually (CodeDeploy canary) in the environments
   * that require it. Throws TrafficShiftError when the shift was rolled back; `live` is then where it was.
   */
  shiftTraffic(deployment: FunctionDeployment, log: (line: string) => void): Promise<void>;
  /** Points `live` back where it was before `deployment` (or removes it if there was nothing). */
  rollback(deployment: FunctionDeployment): Promise<void>;
}
