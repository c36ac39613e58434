import {
  CreateAliasCommand,
  DeleteAliasCommand,
  GetAliasCommand,
  GetFunctionCommand,
  InvokeCommand,
  PublishVersionCommand,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
  waitUntilFunctionUpdatedV2,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import {
  CreateDeploymentCommand,
  GetDeploymentCommand,
  waitUntilDeploymentSuccessful,
  type CodeDeployClient,
} from '@aws-sdk/client-codedeploy';
import {
  CANARY,
  HEALTH_CHECK_EVENT,
  LIVE_ALIAS,
  codeDeployApplication,
  codeDeployGroup,
} from '../constants.ts';
import { DeploymentError, TrafficShiftError } from '../errors.ts';
import { hexToBase64, sha256Hex } from '../hash.ts';
import { judgeHealthResponse, type SmokeResult } from '../smoke.ts';
import type { DeployRequest, DeployTarget, FunctionDeployment } from './target.ts';

/** Delays of the SDK waiters, in seconds (their own units); tests shorten them. */
export interface WaiterTiming {
  minDelay?: number;
  maxDelay?: number;
  maxWaitTime?: number;
}

export interface AwsLambdaTargetOptions {
  lambda: LambdaClient;
  /**
   * `s3`: Lambda pulls the verified object version from the vault (same region).
   * `bytes`: upload the verified bytes, for DR where the vault bucket is in another region.
   */
  codeSource: 's3' | 'bytes';
  /**
   * Set for the environments whose traffic moves gradually: `live` moves through a CodeDeploy deployment
   * (application `pricing-<env>`, group `<function>-<env>`, Canary10Percent5Minutes with alarm rollback).
   */
  codeDeploy?: CodeDeployClient;
  /** The code update usually takes seconds. */
  updateWaiter?: WaiterTiming;
  /** A canary takes its 5 minutes plus CodeDeploy's own steps. */
  deploymentWaiter?: WaiterTiming;
}

function isNotFound(err: unknown): boolean {
  return (err as { name?: string }).name === 'ResourceNotFoundException';
}

/** The real target: UpdateFunctionCode, wait, PublishVersion with the expected CodeSha256, then move `live`. */
export class AwsLambdaTarget implements DeployTarget {
  readonly kind = 'aws-lambda';
  private readonly lambda: LambdaClient;
  private readonly codeSource: 's3' | 'bytes';
  private readonly codeDeploy: CodeDeployClient | undefined;
  private readonly updateWaiter: WaiterTiming & { maxWaitTime: number };
  private readonly deploymentWaiter: WaiterTiming & { maxWaitTime: number };

  constructor({ lambda, codeSource, codeDeploy, updateWaiter, deploymentWaiter }: AwsLambdaTargetOptions) {
    this.lambda = lambda;
    this.codeSource = codeSource;
    this.codeDeploy = codeDeploy;
    this.updateWaiter = { maxWaitTime: 300, ...updateWaiter };
    this.deploymentWaiter = { maxWaitTime: 1800, ...deploymentWaiter };
  }

  async publish({
    baseName,
    env,
    functionName,
    releaseVersion,
    artifact,
  }: DeployRequest): Promise<FunctionDeployment> {
    const expected = hexToBase64(artifact.file.sha256);
    const previousVersion = await this.currentAliasVersion(functionName);

    const code =
      this.codeSource === 's3'
        ? {
            S3Bucket: artifact.bucket,
            S3Key: artifact.key,
            // Pins Lambda to the exact object version that was just verified, not whatever the key holds later.
            ...(artifact.s3VersionId ? { S3ObjectVersion: artifact.s3VersionId } : {}),
          }
        : { ZipFile: artifact.bytes };
    const updated = await this.lambda.send(
      new UpdateFunctionCodeCommand({ FunctionName: functionName, Publish: false, ...code }),
    );
    if (updated.CodeSha256 !== expected) {
      throw new DeploymentError(
        `${functionName}: Lambda received code with CodeSha256 ${updated.CodeSha256}, expected ${expected} ` +
          `from the manifest; not publishing`,
      );
    }
    await this.waitForUpdate(functionName);

    // CodeSha256 makes Lambda refuse to publish if the code changed since it was verified (a concurrent update).
    const published = await this.lambda.send(
      new PublishVersionCommand({
        FunctionName: functionName,
        CodeSha256: expected,
        Description: `${releaseVersion} ${artifact.file.name} sha256:${artifact.file.sha256}`,
      }),
    );
    if (!published.Version || published.CodeSha256 !== expected) {
      throw new DeploymentError(`${functionName}: published version does not carry CodeSha256 ${expected}`);
    }
    return {
      baseName,
      env,
      functionName,
      releaseVersion,
      deployedVersion: published.Version,
      previousVersion,
    };
  }

  async smokeTest(functionName: string, qualifier: string): Promise<SmokeResult> {
    return invokeHealthCheck(this.lambda, functionName, qualifier);
  }

  async shiftTraffic(dep: FunctionDeployment, log: (line: string) => void): Promise<void> {
    const { functionName, deployedVersion, previousVersion } = dep;
    if (previousVersion === null) {
      // A first deployment has no traffic to shift from: the alias is created on the tested version.
      await this.lambda.send(
        new CreateAliasCommand({
          FunctionName: functionName,
          Name: LIVE_ALIAS,
          FunctionVersion: deployedVersion,
        }),
      );
      return;
    }
    if (!this.codeDeploy) {
      await this.lambda.send(
        new UpdateAliasCommand({
          FunctionName: functionName,
          Name: LIVE_ALIAS,
          FunctionVersion: deployedVersion,
        }),
      );
      return;
    }
    await this.canary(this.codeDeploy, dep, log);
  }

  /** Moves `live` through CodeDeploy: 10% for 5 minutes, then 100%, rolled back by CodeDeploy on an alarm. */
  private async canary(client: CodeDeployClient, dep: FunctionDeployment, log: (line: string) => void) {
    const { baseName, env, functionName, deployedVersion, previousVersion } = dep;
    const applicationName = codeDeployApplication(env);
    const deploymentGroupName = codeDeployGroup(baseName, env);
    const content = lambdaAppSpec(functionName, previousVersion!, deployedVersion);
    const { deploymentId } = await client.send(
      new CreateDeploymentCommand({
        applicationName,
        deploymentGroupName,
        revision: {
          revisionType: 'AppSpecContent',
          appSpecContent: { content, sha256: sha256Hex(Buffer.from(content)) },
        },
        description: `${dep.releaseVersion}: ${functionName} live ${previousVersion} -> ${deployedVersion}`,
      }),
    );
    if (!deploymentId) throw new DeploymentError(`${functionName}: CodeDeploy returned no deployment id`);
    log(
      `canary ${functionName}: CodeDeploy ${deploymentId} (${applicationName}/${deploymentGroupName}) moves ` +
        `${CANARY.percent}% of live to version ${deployedVersion} for ${CANARY.minutes} minutes, then 100%`,
    );
    try {
      await waitUntilDeploymentSuccessful({ client, ...this.deploymentWaiter }, { deploymentId });
    } catch (err) {
      const info = (await client.send(new GetDeploymentCommand({ deploymentId }))).deploymentInfo;
      const status = info?.status ?? 'unknown';
      const why = info?.errorInformation
        ? `${info.errorInformation.code}: ${info.errorInformation.message}`
        : (err as Error).name;
      const rollback = info?.rollbackInfo?.rollbackMessage ?? 'live stays on the previous version';
      throw new TrafficShiftError(
        `CodeDeploy ${deploymentId} ${status} and rolled back (${why}); ${rollback}`,
      );
    }
    log(`canary ${functionName}: CodeDeploy ${deploymentId} succeeded; live -> ${deployedVersion} at 100%`);
  }

  async rollback({ functionName, previousVersion }: FunctionDeployment): Promise<void> {
    if (previousVersion === null) {
      // Nothing served traffic before: removing the alias keeps the failed version unreachable through `live`.
      try {
        await this.lambda.send(new DeleteAliasCommand({ FunctionName: functionName, Name: LIVE_ALIAS }));
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      return;
    }
    await this.lambda.send(
      new UpdateAliasCommand({
        FunctionName: functionName,
        Name: LIVE_ALIAS,
        FunctionVersion: previousVersion,
      }),
    );
  }

  private async currentAliasVersion(functionName: string): Promise<string | null> {
    try {
      const alias = await this.lambda.send(
        new GetAliasCommand({ FunctionName: functionName, Name: LIVE_ALIAS }),
      );
      return alias.FunctionVersion ?? null;
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  private async waitForUpdate(functionName: string): Promise<void> {
    try {
      await waitUntilFunctionUpdatedV2(
        { client: this.lambda, ...this.updateWaiter },
        { FunctionName: functionName },
      );
    } catch (err) {
      // The waiter's error is its whole state as JSON; one more read names the reason plainly.
      const fn = await this.lambda.send(new GetFunctionCommand({ FunctionName: functionName }));
      const status = fn.Configuration?.LastUpdateStatus ?? 'unknown';
      const reason =
        status === 'Failed'
          ? (fn.Configuration?.LastUpdateStatusReason ?? 'no reason given')
          : `still ${status} (${(err as Error).name})`;
      throw new DeploymentError(`${functionName}: code update failed: ${reason}`);
    }
  }
}

/** The AppSpec of a Lambda traffic shift (CodeDeploy's documented JSON form, `version` 0.0). */
export function lambdaAppSpec(functionName: string, currentVersion: string, targetVersion: string): string {
  const resources = [
    {
      [functionName]: {
        Type: 'AWS::Lambda::Function',
        Properties: {
          Name: functionName,
          Alias: LIVE_ALIAS,
          CurrentVersion: currentVersion,
          TargetVersion: targetVersion,
        },
      },
    },
  ];
  return `{"version":0.0,"Resources":${JSON.stringify(resources)}}`;
}

/** Invokes `{"health_check": true}` and judges the answer: an invoke error, a FunctionError or a 5xx fails. */
export async function invokeHealthCheck(
  lambda: LambdaClient,
  functionName: string,
  qualifier?: string,
): Promise<SmokeResult> {
  let res;
  try {
    res = await lambda.send(
      new InvokeCommand({
        FunctionName: functionName,
        ...(qualifier ? { Qualifier: qualifier } : {}),
        Payload: Buffer.from(JSON.stringify(HEALTH_CHECK_EVENT)),
      }),
    );
  } catch (err) {
    return { ok: false, detail: `invoke failed: ${(err as Error).name}: ${(err as Error).message}` };
  }
  const text = res.Payload ? Buffer.from(res.Payload).toString('utf8') : '';
  if (res.FunctionError)
    return { ok: false, detail: `function error (${res.FunctionError}): ${text.slice(0, 300)}` };
  if ((res.StatusCode ?? 0) >= 300) return { ok: false, detail: `invoke returned HTTP ${res.StatusCode}` };
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    return { ok: false, detail: `health check returned non-JSON: ${text.slice(0, 200)}` };
  }
  return judgeHealthResponse(payload);
}
