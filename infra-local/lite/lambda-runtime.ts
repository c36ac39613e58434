import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { repoRoot } from '#build/paths.ts';

export interface LambdaError {
  errorType: string;
  errorMessage: string;
  stackTrace?: string[];
}
export type InvokeResult =
  { ok: true; result: unknown; requestId: string } | { ok: false; error: LambdaError; requestId: string };

export interface LocalLambdaOptions {
  /** Folder holding the built bundle (the template's CodeUri). */
  codeDir: string;
  /** `file.export`, as in the template: `index.handler`. */
  handler: string;
  env: Record<string, string>;
  functionName: string;
  timeoutSeconds?: number;
  memoryMb?: number;
  /** Where the function's own stdout and stderr go (logs, EMF). Defaults to this process's stderr. */
  logs?: Writable;
  /** Extra Node flags for the execution environment (for example `--inspect-brk`). */
  execArgv?: string[];
}

/** The environment Lambda gives a function: its reserved variables, then the function's own on top. */
export const lambdaRuntimeEnv = (options: {
  functionName: string;
  memoryMb: number;
  handler: string;
  codeDir: string;
  env: Record<string, string>;
}): Record<string, string> => {
  const { functionName, memoryMb, handler, codeDir, env } = options;
  const region = env.AWS_REGION ?? process.env.AWS_REGION ?? 'us-east-1';
  return {
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_LAMBDA_FUNCTION_NAME: functionName,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memoryMb),
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${functionName}`,
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    LAMBDA_TASK_ROOT: codeDir,
    _HANDLER: handler,
    TZ: 'UTC',
    PATH: process.env.PATH ?? '',
    ...env,
  };
};

const workerPath = (): string => join(repoRoot(), 'infra-local', 'lite', 'lambda-worker.mjs');

const bundleEntry = (codeDir: string, handler: string): { entry: string; exportName: string } => {
  const dot = handler.lastIndexOf('.');
  const file = handler.slice(0, dot);
  const exportName = handler.slice(dot + 1);
  for (const extension of ['.mjs', '.js', '.cjs']) {
    const entry = join(codeDir, file + extension);
    if (existsSync(entry)) return { entry, exportName };
  }
  throw new Error(`Handler not found: no ${file}.mjs, .js or .cjs in ${codeDir}. Run "npm run build" first.`);
};

/**
 * A simulated Lambda execution environment: the bundle runs in a worker thread with its own environment
 * variables (as the runtime sets them), a Lambda-like context, one invocation at a time, and the timeout
 * enforced by ending the environment. A warm environment is reused across invocations, like Lambda.
 */
export class LocalLambda {
  private worker: Worker | undefined;
  private ready: Promise<void> | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly options: Required<Omit<LocalLambdaOptions, 'execArgv'>> & { execArgv: string[] };

  constructor(options: LocalLambdaOptions) {
    this.options = {
      timeoutSeconds: 3,
      memoryMb: 128,
      logs: process.stderr,
      execArgv: [],
      ...options,
    };
  }

  private runtimeEnv(): Record<string, string> {
    return lambdaRuntimeEnv(this.options);
  }

  private start(): Promise<void> {
    const { codeDir, handler, functionName, memoryMb, logs, execArgv } = this.options;
    const { entry, exportName } = bundleEntry(codeDir, handler);
    const env = this.runtimeEnv();
    const worker = new Worker(workerPath(), {
      env,
      execArgv,
      stdout: true,
      stderr: true,
      workerData: { entry, exportName, functionName, memoryMb, region: env.AWS_REGION },
    });
    worker.stdout.pipe(logs, { end: false });
    worker.stderr.pipe(logs, { end: false });
    this.worker = worker;
    // An environment that dies between invocations (a stray rejection, process.exit in a timer) must not
    // be reused: the next invocation starts cold instead of waiting on a dead worker until its timeout.
    worker.once('exit', () => {
      if (this.worker === worker) {
        this.worker = undefined;
        this.ready = undefined;
      }
    });
    this.ready = new Promise<void>((resolveReady, rejectReady) => {
      const onMessage = (message: { type: string; error?: LambdaError }) => {
        if (message.type === 'ready') resolveReady();
        if (message.type === 'init-error')
          rejectReady(Object.assign(new Error(message.error?.errorMessage), message.error));
        if (message.type !== 'result') worker.off('message', onMessage);
      };
      worker.on('message', onMessage);
      worker.once('error', rejectReady);
      worker.once('exit', (code) =>
        rejectReady(new Error(`Execution environment exited with code ${code} during init`)),
      );
    });
    return this.ready;
  }

  /**
   * Runs the init phase ahead of the first invocation (like provisioned concurrency), so the first request
   * does not pay the cold start. An init failure is not thrown: the next invocation retries the init and
   * reports it as Runtime.InitError, as Lambda does.
   */
  warm(): Promise<void> {
    const run = this.queue.then(async () => {
      if (this.worker) return;
      try {
        await this.start();
      } catch {
        await this.stop();
      }
    });
    this.queue = run;
    return run;
  }

  /** Invokes the function once. Invocations are served in order, one at a time, as in one Lambda container. */
  invoke(event: unknown): Promise<InvokeResult> {
    const run = this.queue.then(() => this.invokeNow(event));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async invokeNow(event: unknown): Promise<InvokeResult> {
    const requestId = randomUUID();
    if (!this.worker) {
      try {
        await this.start();
      } catch (error) {
        await this.stop();
        const { errorType = 'Runtime.InitError', errorMessage = String(error) } =
          error as Partial<LambdaError>;
        return { ok: false, requestId, error: { errorType, errorMessage } };
      }
    }
    const worker = this.worker!;
    const timeoutMs = this.options.timeoutSeconds * 1000;
    return new Promise<InvokeResult>((resolveInvoke) => {
      const timer = setTimeout(() => {
        cleanup();
        // Lambda ends a timed-out environment; the next invocation starts cold.
        void this.stop();
        resolveInvoke({
          ok: false,
          requestId,
          error: {
            errorType: 'Sandbox.Timedout',
            errorMessage: `Task timed out after ${this.options.timeoutSeconds.toFixed(2)} seconds`,
          },
        });
      }, timeoutMs);
      const onMessage = (message: {
        type: string;
        id?: string;
        ok?: boolean;
        result?: unknown;
        error?: LambdaError;
      }) => {
        if (message.type !== 'result' || message.id !== requestId) return;
        cleanup();
        resolveInvoke(
          message.ok
            ? { ok: true, requestId, result: message.result }
            : { ok: false, requestId, error: message.error! },
        );
      };
      const onExit = (code: number) => {
        cleanup();
        this.worker = undefined;
        resolveInvoke({
          ok: false,
          requestId,
          error: {
            errorType: 'Runtime.ExitError',
            errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: exit status ${code}`,
          },
        });
      };
      const cleanup = () => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('exit', onExit);
      };
      worker.on('message', onMessage);
      worker.once('exit', onExit);
      worker.postMessage({ id: requestId, event, requestId, deadline: Date.now() + timeoutMs });
    });
  }

  /** Ends the execution environment (the next invocation is a cold start). */
  async stop(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.ready = undefined;
    if (worker) await worker.terminate();
  }
}

/** One-shot invoke: a cold start, one invocation, and the environment torn down. */
export const invokeLocalLambda = async (
  options: LocalLambdaOptions & { event: unknown },
): Promise<InvokeResult> => {
  const { event, ...lambdaOptions } = options;
  const lambda = new LocalLambda(lambdaOptions);
  try {
    return await lambda.invoke(event);
  } finally {
    await lambda.stop();
  }
};
