/** Named bind values. SQL text is always constant; values travel only as binds. */
export type SqlBinds = Record<string, string | number>;

/** A row as the engine returns it; repositories normalise key case and validate with Zod. */
export type SqlRow = Record<string, unknown>;

/** A borrowed connection. Exactly one `release()` must follow every successful `acquire()`. */
export interface SqlLease {
  query(sql: string, binds: SqlBinds): Promise<SqlRow[]>;
  release(): Promise<void>;
}

/** What a caller may bound a lease by; every field is optional. */
export interface AcquireOptions {
  /** The caller's time left, in ms, asked again before each wait; the lease never waits longer, and fails at once at 0. */
  timeLeftMs?: () => number;
}

export interface SqlPoolStats {
  open: number;
  inUse: number;
}

/** The port every SQL engine implements: Oracle in AWS and in Docker, node:sqlite in lite mode. */
export interface SqlClient {
  readonly engine: 'oracle' | 'sqlite';
  /** Creates the pool or opens the file. Called during Lambda init, where the CPU is not throttled. */
  warm(): Promise<void>;
  /** Borrows a connection; with `timeLeftMs`, the wait for it and each query are capped by the caller's time left. */
  acquire(options?: AcquireOptions): Promise<SqlLease>;
  stats(): SqlPoolStats;
  close(): Promise<void>;
}

/**
 * Rejects when `promise` does not settle within `ms`. If the promise resolves after the deadline,
 * `onLate` receives the value so a connection obtained too late is still returned to the pool.
 */
export const withDeadline = <T>(
  promise: Promise<T>,
  ms: number,
  onLate: (value: T) => void,
  label: string,
): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    let expired = false;
    const timer = setTimeout(() => {
      expired = true;
      reject(new Error(`${label} exceeded ${ms} ms`));
    }, ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        if (expired) onLate(value);
        else resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        if (!expired) reject(error);
      },
    );
  });
