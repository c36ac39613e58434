import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  CANARY,
  GRADUAL_ENVIRONMENTS,
  HEALTH_CHECK_EVENT,
  LIVE_ALIAS,
  type Environment,
} from '../constants.ts';
import { DeploymentError, TrafficShiftError } from '../errors.ts';
import { sha256Hex } from '../hash.ts';
import { judgeHealthResponse, type SmokeResult } from '../smoke.ts';
import { readZip } from '../zip-reader.ts';
import type { Writable } from 'node:stream';
import { invokeLocalLambda } from '#infra-local/lite/lambda-runtime.ts';
import type { DeployRequest, DeployTarget, FunctionDeployment } from './target.ts';

/** The shape of lite mode's `invokeLocalLambda`, so tests and fault injection can stand in for it. */
export type LocalInvoke = (opts: {
  codeDir: string;
  handler: string;
  env: Record<string, string>;
  event: unknown;
  functionName: string;
  timeoutSeconds?: number;
  logs?: Writable;
}) => Promise<
  { ok: true; result: unknown } | { ok: false; error: { errorType: string; errorMessage: string } }
>;

export interface LocalTargetOptions {
  /** Folder holding `<env>/<version>/<function>/` bundles and `<env>/<function>.live.json` alias pointers. */
  root: string;
  /** The environment variables a function gets, per deployed function name. */
  envFor?: (functionName: string) => Record<string, string>;
  /** Lite mode's Lambda-like runtime by default: the bundle runs in a worker with only its own env. */
  invoke?: LocalInvoke;
  handler?: string;
  timeoutSeconds?: number;
  /** Where the functions' own logs go (lite mode's default is this process's stderr). */
  logs?: Writable;
  /** Environments whose `live` moves through a canary, as CodeDeploy does in AWS (PROD by default). */
  gradual?: readonly Environment[];
  /**
   * The stand-in for the deployment group's CloudWatch alarms during a canary: the name of an alarm in
   * ALARM state, or null. None fires by default; the rehearsal's `--canary-alarm` makes one fire.
   */
  alarm?: (deployment: FunctionDeployment) => Promise<string | null>;
}

interface AliasTarget {
  version: string;
  codeSha256: string;
  codeDir: string;
}

/** The local stand-in for a Lambda alias: what `live` points at, and everything it pointed at before. */
interface AliasPointer extends AliasTarget {
  history: AliasTarget[];
  /** During a canary: the version that gets `weight` of the traffic (a weighted alias in AWS). */
  canary?: AliasTarget & { weight: number };
}

/**
 * The rehearsal target: unpacks the verified zip into a folder per environment and version (the published
 * version), smoke-tests by invoking that bundle, then moves the alias, a pointer file (through a simulated
 * canary in PROD).
 */
export class LocalTarget implements DeployTarget {
  readonly kind = 'local';
  private readonly root: string;
  private readonly envFor: (functionName: string) => Record<string, string>;
  private readonly invoke: LocalInvoke;
  private readonly handler: string;
  private readonly timeoutSeconds: number;
  private readonly logs: Writable | undefined;
  private readonly gradual: readonly Environment[];
  private readonly alarm: (deployment: FunctionDeployment) => Promise<string | null>;

  constructor({
    root,
    envFor = () => ({}),
    invoke = invokeLocalLambda,
    handler = 'index.handler',
    timeoutSeconds = 10,
    logs,
    gradual = GRADUAL_ENVIRONMENTS,
    alarm = async () => null,
  }: LocalTargetOptions) {
    this.gradual = gradual;
    this.alarm = alarm;
    this.root = root;
    this.envFor = envFor;
    this.invoke = invoke;
    this.handler = handler;
    this.timeoutSeconds = timeoutSeconds;
    this.logs = logs;
  }

  async publish({
    env,
    baseName,
    functionName,
    releaseVersion,
    artifact,
  }: DeployRequest): Promise<FunctionDeployment> {
    // The same check Lambda's CodeSha256 gives: the bytes about to be unpacked are the verified ones.
    if (sha256Hex(artifact.bytes) !== artifact.file.sha256) {
      throw new DeploymentError(`${functionName}: artifact bytes do not match the manifest; not deploying`);
    }
    const codeDir = this.codeDir(functionName, releaseVersion);
    await rm(codeDir, { recursive: true, force: true });
    for (const entry of readZip(artifact.bytes)) {
      const file = path.join(codeDir, entry.name);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, entry.data);
    }
    await writeFile(path.join(codeDir, '.sha256'), artifact.file.sha256);
    const previous = await this.readPointer(functionName);
    return {
      baseName,
      env,
      functionName,
      releaseVersion,
      deployedVersion: releaseVersion,
      previousVersion: previous?.version ?? null,
    };
  }

  /** Invokes the bundle of one published version (the release version locally), or the one `live` names. */
  async smokeTest(functionName: string, qualifier: string): Promise<SmokeResult> {
    let codeDir: string;
    if (qualifier === LIVE_ALIAS) {
      const pointer = await this.readPointer(functionName);
      if (!pointer) return { ok: false, detail: `${functionName} has no live alias` };
      codeDir = pointer.codeDir;
    } else {
      codeDir = this.codeDir(functionName, qualifier);
    }
    const res = await this.invoke({
      codeDir,
      handler: this.handler,
      env: this.envFor(functionName),
      event: HEALTH_CHECK_EVENT,
      functionName,
      timeoutSeconds: this.timeoutSeconds,
      ...(this.logs ? { logs: this.logs } : {}),
    });
    if (!res.ok) return { ok: false, detail: `${res.error.errorType}: ${res.error.errorMessage}` };
    return judgeHealthResponse(res.result);
  }

  async shiftTraffic(dep: FunctionDeployment, log: (line: string) => void): Promise<void> {
    const { env, functionName, deployedVersion, previousVersion } = dep;
    const codeDir = this.codeDir(functionName, deployedVersion);
    const target: AliasTarget = {
      version: deployedVersion,
      codeSha256: await readFile(path.join(codeDir, '.sha256'), 'utf8'),
      codeDir,
    };
    const current = await this.readPointer(functionName);
    const history = current?.history ?? [];
    if (current && previousVersion !== null && this.gradual.includes(env)) {
      // A weighted alias: the previous version keeps 90% while the new one takes the canary's share.
      await this.writePointer(functionName, {
        ...current,
        canary: { ...target, weight: CANARY.percent / 100 },
      });
      log(
        `canary ${functionName}: ${CANARY.percent}% of live -> ${deployedVersion} for ${CANARY.minutes} minutes ` +
          `(simulated locally: the alarms are read once, without waiting)`,
      );
      const alarm = await this.alarm(dep);
      if (alarm) {
        const { canary: _dropped, ...restored } = current;
        await this.writePointer(functionName, restored);
        throw new TrafficShiftError(
          `canary rolled back: alarm ${alarm} is in ALARM; live stays on ${previousVersion}`,
        );
      }
      log(`canary ${functionName}: no alarm; live -> ${deployedVersion} at 100%`);
    }
    await this.writePointer(functionName, { ...target, history: [...history, target] });
  }

  async rollback({ functionName, previousVersion }: FunctionDeployment): Promise<void> {
    const current = await this.readPointer(functionName);
    if (previousVersion === null || !current) {
      await rm(this.pointerPath(functionName), { force: true });
      return;
    }
    const target = current.history.findLast((h) => h.version === previousVersion);
    if (!target)
      throw new DeploymentError(`${functionName}: cannot roll back to unknown version ${previousVersion}`);
    await this.writePointer(functionName, { ...target, history: [...current.history, target] });
  }

  /** The version the `live` pointer of a deployed function names, or null. */
  async liveVersion(functionName: string): Promise<string | null> {
    return (await this.readPointer(functionName))?.version ?? null;
  }

  private envAndBase(functionName: string): [string, string] {
    const dash = functionName.lastIndexOf('-');
    return [functionName.slice(dash + 1), functionName.slice(0, dash)];
  }

  private codeDir(functionName: string, version: string): string {
    const [env, base] = this.envAndBase(functionName);
    return path.join(this.root, env, version, base);
  }

  private pointerPath(functionName: string): string {
    const [env, base] = this.envAndBase(functionName);
    return path.join(this.root, env, `${base}.live.json`);
  }

  private async readPointer(functionName: string): Promise<AliasPointer | null> {
    try {
      return JSON.parse(await readFile(this.pointerPath(functionName), 'utf8')) as AliasPointer;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  private async writePointer(functionName: string, pointer: AliasPointer): Promise<void> {
    const file = this.pointerPath(functionName);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, `${JSON.stringify(pointer, null, 2)}\n`);
  }
}
