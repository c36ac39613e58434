import type oracledb from 'oracledb';
import type { Logger } from '@aws-lambda-powertools/logger';
import { SourceUnavailableError } from '../../errors/app-errors.ts';
import type { AcquireOptions, SqlBinds, SqlClient, SqlLease, SqlPoolStats, SqlRow } from './sql-client.ts';
import { withDeadline } from './sql-client.ts';
import type { PasswordSource } from './oracle-password.ts';

/** The password was refused: rotated since the pool was created (or wrong). */
const isInvalidCredential = (error: unknown): boolean =>
  (error as { code?: unknown } | null)?.code === 'ORA-01017';

/** The subset of oracledb the client uses, so unit tests can pass a fake pool. */
export interface OracleConnectionLike {
  callTimeout?: number | undefined;
  execute(sql: string, binds: SqlBinds, options: oracledb.ExecuteOptions): Promise<{ rows?: unknown[] }>;
  close(): Promise<void>;
}
export interface OraclePoolLike {
  getConnection(): Promise<OracleConnectionLike>;
  close(drainTime?: number): Promise<void>;
  readonly connectionsOpen: number;
  readonly connectionsInUse: number;
}
export type CreateOraclePool = (attributes: oracledb.PoolAttributes) => Promise<OraclePoolLike>;

export interface OracleSettings {
  connectString: string;
  user: string;
  /** Asked when a pool is created; again, past its cache, after ORA-01017 (a rotated password). */
  password: PasswordSource;
  poolMax: number;
  connectTimeoutMs: number;
  callTimeoutMs: number;
  queueTimeoutMs: number;
}

/**
 * Errors that mean "the database is unreachable or too slow" rather than "the query is wrong":
 * network and connect failures (NJS-5xx), pool queue timeouts, call timeouts, lost sessions, TNS errors.
 */
const TRANSIENT_ORACLE_ERROR =
  /^(NJS-5\d\d|NJS-040|NJS-076|NJS-123|NJS-065|NJS-003|DPI-1067|DPI-1080|ORA-0311[34]|ORA-03135|ORA-03156|ORA-01012|ORA-0?2396|ORA-12\d\d\d)$/;

export const isTransientOracleError = (error: unknown): boolean => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && TRANSIENT_ORACLE_ERROR.test(code);
};

/** The caller's time is spent: fail before waiting on Oracle at all. */
const noTimeLeft = (step: string): SourceUnavailableError =>
  new SourceUnavailableError(new Error(`no time left in the request's budget for ${step}`));

/** setTimeout's largest delay: a longer one fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** `ownMs` capped by the caller's time left, if it gave one; 0 or less when that time is spent. */
const capped = (ownMs: number, timeLeftMs: (() => number) | undefined): number =>
  timeLeftMs ? Math.min(ownMs, Math.floor(timeLeftMs())) : ownMs;

const timeIsUp = (timeLeftMs: (() => number) | undefined): boolean => capped(1, timeLeftMs) <= 0;

type OracleDriver = typeof oracledb;
let driver: Promise<OracleDriver> | undefined;

/**
 * node-oracledb is imported on first use, not at module load: it is half of price-fetcher's bundle and pulls
 * in net, tls, dgram, readline and worker_threads. The build splits it into its own chunk, so only Oracle
 * mode pays for it, during init (the pool is created there), and the embedded engine never loads it.
 */
const loadDriver = (): Promise<OracleDriver> =>
  (driver ??= import('oracledb').then((module) => module.default));

/** NUMBER columns are fetched as strings: amounts never pass through a binary float. */
const executeOptions = (db: OracleDriver): oracledb.ExecuteOptions => ({
  outFormat: db.OUT_FORMAT_OBJECT,
  fetchTypeHandler: (metadata) => (metadata.dbType === db.DB_TYPE_NUMBER ? { type: db.STRING } : undefined),
});

/**
 * Oracle through node-oracledb thin mode (pure JavaScript, no Instant Client in the zip).
 * One pool per container, sized for Lambda (one request at a time per container), with every wait bounded
 * well below the function timeout: TCP/TLS connect, the pool queue, and each round trip.
 */
export class OracleSqlClient implements SqlClient {
  readonly engine = 'oracle' as const;
  private pool: Promise<OraclePoolLike> | undefined;
  /** The resolved pool, kept for synchronous stats(). */
  private currentPool: OraclePoolLike | undefined;
  private readonly settings: OracleSettings;
  private readonly createPool: CreateOraclePool;
  private readonly logger: Logger | undefined;
  /** Set with the pool, once the driver is loaded. */
  private executeOptions: oracledb.ExecuteOptions | undefined;

  constructor(options: { settings: OracleSettings; createPool?: CreateOraclePool; logger?: Logger }) {
    this.settings = options.settings;
    this.createPool =
      options.createPool ?? (async (attributes) => (await loadDriver()).createPool(attributes));
    this.logger = options.logger;
  }

  /** Pool attributes; exported through this method so the sizing and timeouts are testable. */
  poolAttributes(password: string): oracledb.PoolAttributes {
    const { connectString, user, poolMax, connectTimeoutMs, queueTimeoutMs } = this.settings;
    const connectTimeoutSeconds = Math.max(1, Math.ceil(connectTimeoutMs / 1000));
    return {
      connectString,
      user,
      password,
      poolMin: 0,
      poolMax,
      poolIncrement: 1,
      // Idle connections are closed after a minute: a frozen Lambda container should not pin sessions.
      poolTimeout: 60,
      poolPingInterval: 60,
      queueTimeout: queueTimeoutMs,
      queueMax: 10,
      connectTimeout: connectTimeoutSeconds,
      transportConnectTimeout: connectTimeoutSeconds,
      retryCount: 0,
      enableStatistics: false,
    };
  }

  async warm(): Promise<void> {
    await this.getPool();
  }

  private getPool(forceFetch = false): Promise<OraclePoolLike> {
    if (!this.pool) {
      this.pool = loadDriver()
        .then(async (db) => {
          this.executeOptions ??= executeOptions(db);
          const password = await this.settings.password({ forceFetch });
          return this.createPool(this.poolAttributes(password));
        })
        .then(
          (pool) => {
            this.currentPool = pool;
            return pool;
          },
          (error: unknown) => {
            this.pool = undefined;
            throw error;
          },
        );
    }
    return this.pool;
  }

  /**
   * Borrows a connection. The wait for it (and the rotation retry's) is capped by the caller's time left as
   * well as by the connect and queue timeouts; so is each query's call timeout (OracleLease).
   */
  async acquire(options: AcquireOptions = {}): Promise<SqlLease> {
    const { timeLeftMs } = options;
    let connection: OracleConnectionLike;
    try {
      connection = await this.connect(timeLeftMs);
    } catch (error) {
      if (error instanceof SourceUnavailableError) throw error;
      if (!isInvalidCredential(error)) throw new SourceUnavailableError(error);
      // Rebuilding the pool and fetching the secret is work too: not when the caller's time is spent.
      if (timeIsUp(timeLeftMs)) throw new SourceUnavailableError(error);
      // The password was rotated: fetch the secret again, past its cache, and rebuild the pool once.
      this.logger?.warn('Oracle refused the password (ORA-01017); fetching the secret again', {
        errorCode: 'ORA-01017',
      });
      try {
        await this.close();
        connection = await this.connect(timeLeftMs, true);
      } catch (retryError) {
        if (retryError instanceof SourceUnavailableError) throw retryError;
        throw new SourceUnavailableError(retryError);
      }
    }
    return new OracleLease(connection, {
      options: this.executeOptions!,
      callTimeoutMs: this.settings.callTimeoutMs,
      timeLeftMs,
      logger: this.logger,
    });
  }

  private async connect(
    timeLeftMs: (() => number) | undefined,
    forceFetch = false,
  ): Promise<OracleConnectionLike> {
    const { connectTimeoutMs, queueTimeoutMs } = this.settings;
    if (timeIsUp(timeLeftMs)) throw noTimeLeft('an Oracle connection');
    const creating = this.getPool(forceFetch);
    // A pool still being created (the secret fetched after a rotation) is waited for no longer than the
    // caller's time either; it stays cached for the next request.
    const pool = await (timeLeftMs
      ? withDeadline(creating, Math.max(1, capped(MAX_TIMER_MS, timeLeftMs)), () => undefined, 'oracle pool')
      : creating);
    const boundMs = capped(connectTimeoutMs + queueTimeoutMs, timeLeftMs);
    if (boundMs <= 0) throw noTimeLeft('an Oracle connection');
    // The driver's own timeouts should fire first; this guard bounds anything they miss, and the caller's time.
    return withDeadline(
      pool.getConnection(),
      boundMs,
      (late) => void late.close().catch(() => undefined),
      'oracle getConnection',
    );
  }

  stats(): SqlPoolStats {
    return { open: this.currentPool?.connectionsOpen ?? 0, inUse: this.currentPool?.connectionsInUse ?? 0 };
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    this.currentPool = undefined;
    if (pool) await (await pool).close(0);
  }
}

class OracleLease implements SqlLease {
  private released = false;
  private readonly connection: OracleConnectionLike;
  private readonly options: oracledb.ExecuteOptions;
  private readonly callTimeoutMs: number;
  private readonly timeLeftMs: (() => number) | undefined;
  private readonly logger: Logger | undefined;

  constructor(
    connection: OracleConnectionLike,
    settings: {
      options: oracledb.ExecuteOptions;
      callTimeoutMs: number;
      timeLeftMs: (() => number) | undefined;
      logger: Logger | undefined;
    },
  ) {
    this.connection = connection;
    this.options = settings.options;
    this.callTimeoutMs = settings.callTimeoutMs;
    this.timeLeftMs = settings.timeLeftMs;
    this.logger = settings.logger;
  }

  async query(sql: string, binds: SqlBinds): Promise<SqlRow[]> {
    const timeoutMs = capped(this.callTimeoutMs, this.timeLeftMs);
    if (timeoutMs <= 0) throw noTimeLeft('an Oracle query');
    try {
      // Set before every round trip: the caller's time left shrinks between queries. Inside the try: the
      // driver's setter throws on a connection that is no longer usable.
      this.connection.callTimeout = timeoutMs;
      const result = await this.connection.execute(sql, binds, this.options);
      return (result.rows ?? []) as SqlRow[];
    } catch (error) {
      if (isTransientOracleError(error)) throw new SourceUnavailableError(error);
      throw error;
    }
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    try {
      await this.connection.close();
    } catch (error) {
      // A connection broken by a timeout cannot be closed cleanly; the pool drops it either way.
      this.logger?.warn('Oracle connection close failed', { errorCode: (error as { code?: string }).code });
    }
  }
}
