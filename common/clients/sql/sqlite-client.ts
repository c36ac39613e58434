import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { SourceUnavailableError } from '../../errors/app-errors.ts';
import type { AcquireOptions, SqlBinds, SqlClient, SqlLease, SqlPoolStats, SqlRow } from './sql-client.ts';

import type * as NodeSqlite from 'node:sqlite';

type SqliteModule = typeof NodeSqlite;

/**
 * Loads node:sqlite with its one-time ExperimentalWarning silenced, and only that warning:
 * every other warning still reaches the process.
 */
export const loadSqlite = (): SqliteModule => {
  const emitWarning = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === 'string' ? warning : warning.message;
    const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: string } | undefined)?.type;
    if (type === 'ExperimentalWarning' && text.includes('SQLite')) return;
    return (emitWarning as (...args: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    return process.getBuiltinModule('node:sqlite') as SqliteModule;
  } finally {
    process.emitWarning = emitWarning;
  }
};

/**
 * The embedded engine for lite mode: node:sqlite, built into Node 22, loaded from the same seed SQL as
 * Oracle XE and queried with the same SQL text. Read-only: the function never writes to the source.
 * Refused by config validation outside the `local` stage.
 */
export class SqliteSqlClient implements SqlClient {
  readonly engine = 'sqlite' as const;
  private db: DatabaseSync | undefined;
  private readonly statements = new Map<string, StatementSync>();
  private readonly path: string;
  private leases = 0;

  constructor(options: { path: string }) {
    this.path = options.path;
  }

  async warm(): Promise<void> {
    this.open();
  }

  private open(): DatabaseSync {
    if (!this.db) {
      const { DatabaseSync } = loadSqlite();
      this.db = new DatabaseSync(this.path, { readOnly: true });
    }
    return this.db;
  }

  /**
   * Opens a lease on the file. A query cannot be cut short (it runs synchronously, in-process, in
   * microseconds), so `timeLeftMs` only refuses one when the caller's time is already spent, as Oracle does.
   */
  async acquire(options: AcquireOptions = {}): Promise<SqlLease> {
    const { timeLeftMs } = options;
    let db: DatabaseSync;
    try {
      db = this.open();
    } catch (error) {
      throw new SourceUnavailableError(error);
    }
    this.leases += 1;
    let released = false;
    return {
      query: async (sql: string, binds: SqlBinds): Promise<SqlRow[]> => {
        if (timeLeftMs && timeLeftMs() < 1) {
          throw new SourceUnavailableError(new Error("no time left in the request's budget for a query"));
        }
        try {
          let statement = this.statements.get(sql);
          if (!statement) {
            statement = db.prepare(sql);
            this.statements.set(sql, statement);
          }
          return statement.all(binds) as SqlRow[];
        } catch (error) {
          if (/database is locked|unable to open|disk I\/O error/i.test((error as Error).message)) {
            throw new SourceUnavailableError(error);
          }
          throw error;
        }
      },
      release: async () => {
        if (released) return;
        released = true;
        this.leases -= 1;
      },
    };
  }

  stats(): SqlPoolStats {
    return { open: this.db ? 1 : 0, inUse: this.leases };
  }

  async close(): Promise<void> {
    this.statements.clear();
    this.db?.close();
    this.db = undefined;
  }
}
