import type oracledb from 'oracledb';
import type { DatabaseSync } from 'node:sqlite';
import type { OracleConnectionLike, OraclePoolLike } from '#common/clients/sql/oracle-client.ts';
import type { SqlBinds } from '#common/clients/sql/sql-client.ts';
import { loadSqlite } from '#common/clients/sql/sqlite-client.ts';

/**
 * How the fake database behaves for the next calls:
 * - `up`: queries run against the embedded engine's seed, with Oracle's row shape (UPPERCASE keys, NUMBER as text);
 * - `down`: the database is gone: new connections are refused (NJS-503), open sessions die (ORA-03113);
 * - `drop`: queries fail as when the session is killed mid-call (ORA-03113); the connection is broken;
 * - `broken-sql`: queries fail with a non-transient error (ORA-00942), as after a bad migration.
 */
export type FakeOracleMode = 'up' | 'down' | 'drop' | 'broken-sql';

const oracleError = (code: string, message: string): Error =>
  Object.assign(new Error(`${code}: ${message}`), { code, errorNum: Number(code.replace(/\D/g, '')) });

/**
 * A stand-in for node-oracledb's pool where no Oracle can run, faithful in what leak tests need: `poolMax`,
 * a FIFO queue bounded by `queueMax` and `queueTimeout` (NJS-076, NJS-040), idle connections reused, broken
 * ones dropped on close, and `connectionsOpen` / `connectionsInUse` counted as the driver counts them.
 */
export class FakeOracleDb {
  mode: FakeOracleMode = 'up';
  /** The next `n` createPool calls fail (as when DNS or the wallet is wrong at init). */
  createPoolFailures = 0;
  /** When set, new sessions need this password (ORA-01017 otherwise), as after a rotation. */
  password: string | undefined;
  readonly pools: FakeOraclePool[] = [];
  private readonly db: DatabaseSync;

  constructor(sqlitePath: string) {
    const { DatabaseSync } = loadSqlite();
    this.db = new DatabaseSync(sqlitePath, { readOnly: true });
  }

  createPool = async (attributes: oracledb.PoolAttributes): Promise<OraclePoolLike> => {
    if (this.createPoolFailures > 0) {
      this.createPoolFailures -= 1;
      throw oracleError('NJS-503', 'connection to host 127.0.0.1 port 1521 could not be established');
    }
    const pool = new FakeOraclePool(this, attributes);
    this.pools.push(pool);
    return pool;
  };

  /** Runs the repository's SQL on the seed data and shapes the rows as Oracle does. */
  run(sql: string, binds: SqlBinds): Record<string, unknown>[] {
    const rows = this.db.prepare(sql).all(binds) as Record<string, unknown>[];
    return rows.map((row) =>
      Object.fromEntries(
        Object.entries(row).map(([key, value]) => [
          key.toUpperCase(),
          typeof value === 'number' ? String(value) : value,
        ]),
      ),
    );
  }

  close(): void {
    this.db.close();
  }
}

class FakeOraclePool implements OraclePoolLike {
  connectionsOpen = 0;
  connectionsInUse = 0;
  closed = false;
  private readonly idle: FakeConnection[] = [];
  private readonly waiting: { grant: (connection: FakeConnection) => void; timer: NodeJS.Timeout }[] = [];
  private readonly owner: FakeOracleDb;
  private readonly attributes: oracledb.PoolAttributes;

  constructor(owner: FakeOracleDb, attributes: oracledb.PoolAttributes) {
    this.owner = owner;
    this.attributes = attributes;
  }

  async getConnection(): Promise<OracleConnectionLike> {
    await Promise.resolve();
    if (this.closed) throw oracleError('NJS-065', 'connection pool was closed');
    const poolMax = this.attributes.poolMax ?? 4;
    if (this.connectionsInUse >= poolMax) return this.enqueue();
    return this.take();
  }

  private take(): FakeConnection {
    let connection = this.idle.pop();
    if (!connection) {
      if (this.owner.mode === 'down') {
        throw oracleError('NJS-503', 'connection to host 127.0.0.1 port 1521 could not be established');
      }
      if (this.owner.password !== undefined && this.attributes.password !== this.owner.password) {
        throw oracleError('ORA-01017', 'invalid credential or not authorized; logon denied');
      }
      connection = new FakeConnection(this.owner, this);
      this.connectionsOpen += 1;
    }
    this.connectionsInUse += 1;
    connection.lend();
    return connection;
  }

  private enqueue(): Promise<FakeConnection> {
    if (this.waiting.length >= (this.attributes.queueMax ?? 500)) {
      return Promise.reject(
        oracleError('NJS-076', 'connection request rejected. Pool queue length queueMax reached'),
      );
    }
    return new Promise((resolve, reject) => {
      const entry = {
        grant: resolve,
        timer: setTimeout(() => {
          this.waiting.splice(this.waiting.indexOf(entry), 1);
          reject(oracleError('NJS-040', 'connection request timeout'));
        }, this.attributes.queueTimeout ?? 60_000),
      };
      this.waiting.push(entry);
    });
  }

  /** A connection came back: hand it to the oldest waiter, keep it idle, or drop it when broken. */
  release(connection: FakeConnection): void {
    this.connectionsInUse -= 1;
    if (connection.broken) {
      this.connectionsOpen -= 1;
    } else {
      this.idle.push(connection);
    }
    const next = this.waiting.shift();
    if (!next) return;
    clearTimeout(next.timer);
    try {
      next.grant(this.take());
    } catch {
      // Refused while waiting: the waiter's queue timeout no longer applies, so fail it now.
      next.grant(Promise.reject(oracleError('NJS-503', 'connection could not be established')) as never);
    }
  }

  /** Idle sessions end (as after poolTimeout): the next request opens a new one, with the password. */
  dropIdle(): void {
    this.connectionsOpen -= this.idle.splice(0).length;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const entry of this.waiting.splice(0)) clearTimeout(entry.timer);
    this.connectionsOpen -= this.idle.splice(0).length;
  }
}

class FakeConnection implements OracleConnectionLike {
  callTimeout: number | undefined;
  broken = false;
  private released = false;
  private readonly owner: FakeOracleDb;
  private readonly pool: FakeOraclePool;

  constructor(owner: FakeOracleDb, pool: FakeOraclePool) {
    this.owner = owner;
    this.pool = pool;
  }

  /** Handed out by the pool (again): usable until the borrower closes it. */
  lend(): void {
    this.released = false;
  }

  async execute(sql: string, binds: SqlBinds): Promise<{ rows?: unknown[] }> {
    await Promise.resolve();
    if (this.released) throw oracleError('NJS-003', 'invalid or closed connection');
    if (this.owner.mode === 'drop' || this.owner.mode === 'down') {
      this.broken = true;
      throw oracleError('ORA-03113', 'end-of-file on communication channel');
    }
    if (this.owner.mode === 'broken-sql') throw oracleError('ORA-00942', 'table or view does not exist');
    return { rows: this.owner.run(sql, binds) };
  }

  async close(): Promise<void> {
    if (this.released) throw oracleError('NJS-003', 'invalid or closed connection');
    this.released = true;
    this.pool.release(this);
  }
}
