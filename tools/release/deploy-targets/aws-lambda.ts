import {
  CreateAliasCommand,
  DeleteAliasCommand,
  GetAliasCommand,
  GetFunctionCommand,
  InvokeCommand,
  PublishVersionCommand,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { HEALTH_CHECK_EVENT, LIVE_ALIAS } from '../constants.ts';
import { DeploymentError } from '../errors.ts';
import { hexToBase64 } from '../hash.ts';
import { judgeHealthResponse, type SmokeResult } from '../smoke.ts';
import type { DeployRequest, DeployTarget, FunctionDeployment } from './target.ts';

export interface AwsLambdaTargetOptions {
  lambda: LambdaClient;
  /**
   * `s3`: Lambda pulls the verified object version from the vault (same region).
   * `bytes`: upload the verified bytes, for DR where the vault bucket is in another region.
   */
  codeSource: 's3' | 'bytes';
  sleep?: (ms: number) => Promise<void>;
  pollIntervalMs?: number;
  maxPolls?: number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function isNotFound(err: unknown): boolean {
  return (err as { name?: string }).name === 'ResourceNotFoundException';
}

/** The real target: UpdateFunctionCode, wait, PublishVersion with the expected CodeSha256, move `live`. */
export class AwsLambdaTarget implements DeployTarget {
  readonly kind = 'aws-lambda';
  private readonly lambda: LambdaClient;
  private readonly codeSource: 's3' | 'bytes';
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly pollIntervalMs: number;
  private readonly maxPolls: number;

  constructor({
    lambda,
    codeSource,
    sleep = defaultSleep,
    pollIntervalMs = 2000,
    maxPolls = 150,
  }: AwsLambdaTargetOptions) {
    this.lambda = lambda;
    this.codeSource = codeSource;
    this.sleep = sleep;
    this.pollIntervalMs = pollIntervalMs;
    this.maxPolls = maxPolls;
  }

  async deploy({ functionName, releaseVersion, artifact }: DeployRequest): Promise<FunctionDeployment> {
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

    if (previousVersion === null) {
      await this.lambda.send(
        new CreateAliasCommand({
          FunctionName: functionName,
          Name: LIVE_ALIAS,
          FunctionVersion: published.Version,
        }),
      );
    } else {
      await this.lambda.send(
        new UpdateAliasCommand({
          FunctionName: functionName,
          Name: LIVE_ALIAS,
          FunctionVersion: published.Version,
        }),
      );
    }
    return { functionName, deployedVersion: published.Version, previousVersion };
  }

  async smokeTest(functionName: string): Promise<SmokeResult> {
    return invokeHealthCheck(this.lambda, functionName, LIVE_ALIAS);
  }

  async rollback({ functionName, previousVersion }: FunctionDeployment): Promise<void> {
    if (previousVersion === null) {
      // Nothing served traffic before: removing the alias keeps the failed version unreachable through `live`.
      await this.lambda.send(new DeleteAliasCommand({ FunctionName: functionName, Name: LIVE_ALIAS }));
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
    for (let poll = 0; poll < this.maxPolls; poll += 1) {
      const fn = await this.lambda.send(new GetFunctionCommand({ FunctionName: functionName }));
      const status = fn.Configuration?.LastUpdateStatus;
      if (status === 'Successful') return;
      if (status === 'Failed') {
        throw new DeploymentError(
          `${functionName}: code update failed: ${fn.Configuration?.LastUpdateStatusReason ?? 'no reason given'}`,
        );
      }
      await this.sleep(this.pollIntervalMs);
    }
    throw new DeploymentError(`${functionName}: code update did not finish after ${this.maxPolls} polls`);
  }
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
