import type { InvokeResult, LocalLambdaOptions } from './lambda-runtime.ts';
import { LocalLambda } from './lambda-runtime.ts';

/** What the pool needs from an execution environment (LocalLambda; tests may pass a fake). */
export interface ExecutionEnvironment {
  invoke(event: unknown): Promise<InvokeResult>;
  warm(): Promise<void>;
  stop(): Promise<void>;
}

/** The pool is at `maxSize` and `maxQueued` invocations already wait: refused at once rather than queued. */
export class PoolFullError extends Error {
  override name = 'PoolFullError';
}

export interface LambdaPoolOptions {
  /** How each execution environment is configured. */
  lambda: LocalLambdaOptions;
  /** Most environments at once, like a function's reserved concurrency. Default 4. */
  maxSize?: number;
  /**
   * Most invocations that may wait for an environment once all are busy (default 64). Past it an invocation
   * is refused with PoolFullError, so a flood cannot grow the queue (and the memory) without bound.
   */
  maxQueued?: number;
  /** Creates an environment; defaults to a LocalLambda worker thread. */
  create?: (options: LocalLambdaOptions) => ExecutionEnvironment;
}

/**
 * Lambda's concurrency model for one function: each execution environment serves one invocation at a
 * time, concurrent requests get more environments (up to `maxSize`, then they queue), and an idle warm
 * environment is always reused before a new one is started (most recently used first, so the warmest).
 * `recycle()` swaps in the code of a rebuilt bundle: new invocations get fresh environments, and ones
 * still serving a request finish it on the old code before they are stopped.
 */
export class LambdaPool {
  private readonly options: LambdaPoolOptions;
  private readonly maxSize: number;
  private readonly maxQueued: number;
  private readonly create: (options: LocalLambdaOptions) => ExecutionEnvironment;
  /** Environments of the current code: idle or serving. Retired ones are in neither. */
  private current = new Set<ExecutionEnvironment>();
  private idle: ExecutionEnvironment[] = [];
  private readonly serving = new Set<ExecutionEnvironment>();
  private readonly waiting: Array<{
    resolve: (environment: ExecutionEnvironment) => void;
    reject: (error: Error) => void;
  }> = [];
  private closed = false;

  constructor(options: LambdaPoolOptions) {
    this.options = options;
    this.maxSize = Math.max(1, options.maxSize ?? 4);
    this.maxQueued = Math.max(0, options.maxQueued ?? 64);
    this.create = options.create ?? ((lambdaOptions) => new LocalLambda(lambdaOptions));
  }

  /** Environments started for the current code, and how many serve a request now. */
  stats(): { environments: number; busy: number; queued: number } {
    return { environments: this.current.size, busy: this.serving.size, queued: this.waiting.length };
  }

  /** Invokes the function in an idle environment, a new one, or the next one to free up. */
  async invoke(event: unknown): Promise<InvokeResult> {
    if (this.closed) throw new Error(`${this.options.lambda.functionName}: the pool is closed`);
    const saturated = this.idle.length === 0 && this.current.size >= this.maxSize;
    if (saturated && this.waiting.length >= this.maxQueued) {
      throw new PoolFullError(
        `${this.options.lambda.functionName}: ${this.maxSize} environments busy and ${this.waiting.length} invocations queued`,
      );
    }
    const environment = await this.acquire();
    try {
      return await environment.invoke(event);
    } finally {
      this.release(environment);
    }
  }

  /**
   * Starts one environment ahead of traffic, so the first request is warm, and returns once an environment
   * of the current code has finished its init. If a request got there first and started one, this waits
   * for that one (its init, then that request) instead of starting another: hot reload relies on it to let
   * the reloaded function settle before the next function is rebuilt.
   */
  async warm(): Promise<void> {
    if (this.closed) return;
    if (this.current.size > 0) {
      await Promise.race([...this.current].map((environment) => environment.warm()));
      return;
    }
    const environment = await this.acquire();
    try {
      await environment.warm();
    } finally {
      this.release(environment);
    }
  }

  /**
   * Retires every environment of the current code: idle ones stop now, serving ones after their request.
   * The next invocation starts on the (rebuilt) bundle. Returns once the idle ones have stopped.
   */
  async recycle(): Promise<void> {
    const idle = this.idle;
    this.current = new Set();
    this.idle = [];
    this.dispatch();
    await Promise.all(idle.map((environment) => environment.stop()));
  }

  /** Stops every environment, including ones serving a request (their callers get a Runtime.ExitError). */
  async close(): Promise<void> {
    this.closed = true;
    for (const waiter of this.waiting.splice(0)) {
      waiter.reject(
        new Error(`${this.options.lambda.functionName}: the pool closed before an environment was free`),
      );
    }
    const all = new Set([...this.current, ...this.serving]);
    this.current.clear();
    this.idle = [];
    await Promise.all([...all].map((environment) => environment.stop()));
  }

  private acquire(): Promise<ExecutionEnvironment> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.dispatch();
    });
  }

  private release(environment: ExecutionEnvironment): void {
    this.serving.delete(environment);
    if (this.current.has(environment) && !this.closed) this.idle.push(environment);
    else void environment.stop();
    this.dispatch();
  }

  /** Hands environments to waiting invocations, in arrival order, starting new ones up to maxSize. */
  private dispatch(): void {
    while (this.waiting.length > 0 && !this.closed) {
      let environment = this.idle.pop();
      if (!environment && this.current.size < this.maxSize) {
        environment = this.create(this.options.lambda);
        this.current.add(environment);
      }
      if (!environment) return;
      this.serving.add(environment);
      this.waiting.shift()!.resolve(environment);
    }
  }
}
