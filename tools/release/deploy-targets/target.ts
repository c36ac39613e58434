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
  functionName: string;
  /** What the `live` alias points at now. */
  deployedVersion: string;
  /** What it pointed at before, or null on a first deployment. */
  previousVersion: string | null;
}

/** Where a verified artifact gets deployed: AWS Lambda for real, a folder per environment for rehearsals. */
export interface DeployTarget {
  readonly kind: string;
  /** Installs the code, publishes an immutable version and moves the `live` alias to it. */
  deploy(request: DeployRequest): Promise<FunctionDeployment>;
  /** Invokes the function behind `live` with the health check. */
  smokeTest(functionName: string): Promise<SmokeResult>;
  /** Points `live` back where it was before `deployment` (or removes it if there was nothing). */
  rollback(deployment: FunctionDeployment): Promise<void>;
}
