import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { HEALTH_CHECK_EVENT } from '../constants.ts';
import { DeploymentError } from '../errors.ts';
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
}

interface AliasTarget {
  version: string;
  codeSha256: string;
  codeDir: string;
}

/** The local stand-in for a Lambda alias: what `live` points at, and everything it pointed at before. */
interface AliasPointer extends AliasTarget {
  history: AliasTarget[];
}

/**
 * The rehearsal target: unpacks the verified zip into a folder per environment and version, keeps the alias
 * as a pointer file, and smoke-tests by invoking the unpacked bundle.
 */
export class LocalTarget implements DeployTarget {
  readonly kind = 'local';
  private readonly root: string;
  private readonly envFor: (functionName: string) => Record<string, string>;
  private readonly invoke: LocalInvoke;
  private readonly handler: string;
  private readonly timeoutSeconds: number;
  private readonly logs: Writable | undefined;

  constructor({
    root,
    envFor = () => ({}),
    invoke = invokeLocalLambda,
    handler = 'index.handler',
    timeoutSeconds = 10,
    logs,
  }: LocalTargetOptions) {
    this.root = root;
    this.envFor = envFor;
    this.invoke = invoke;
    this.handler = handler;
    this.timeoutSeconds = timeoutSeconds;
    this.logs = logs;
  }

  async deploy({
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
    const codeDir = path.join(this.root, env, releaseVersion, baseName);
    await rm(codeDir, { recursive: true, force: true });
    for (const entry of readZip(artifact.bytes)) {
      const file = path.join(codeDir, entry.name);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, entry.data);
    }
    const previous = await this.readPointer(functionName);
    const live = { version: releaseVersion, codeSha256: artifact.file.sha256, codeDir };
    await this.writePointer(functionName, { ...live, history: [...(previous?.history ?? []), live] });
    return { functionName, deployedVersion: releaseVersion, previousVersion: previous?.version ?? null };
  }

  async smokeTest(functionName: string): Promise<SmokeResult> {
    const pointer = await this.readPointer(functionName);
    if (!pointer) return { ok: false, detail: `${functionName} has no live alias` };
    const res = await this.invoke({
      codeDir: pointer.codeDir,
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
