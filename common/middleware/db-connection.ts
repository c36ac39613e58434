import type { MiddlewareObj } from '@middy/core';
import type { AppContext, HttpRequest } from '../types/lambda.ts';
import type { AcquireOptions, SqlBinds, SqlClient, SqlLease, SqlRow } from '../clients/sql/sql-client.ts';
import { withDeadline } from '../clients/sql/sql-client.ts';
import { ANSWER_ALLOWANCE_MS } from '../kernel/request-budget.ts';

/** How long the error path waits for a connection to go back to the pool before it answers anyway. */
export const RELEASE_ON_ERROR_MS = ANSWER_ALLOWANCE_MS / 2;

/**
 * A lease that borrows a connection on first use, so rejected requests never touch the pool. The wait for it
 * and every query are capped by the request's work budget, so the audit reserve and the margin stay.
 */
class LazyLease implements SqlLease {
  private lease: Promise<SqlLease> | undefined;
  private readonly client: SqlClient;
  private readonly options: AcquireOptions;

  constructor(client: SqlClient, options: AcquireOptions) {
    this.client = client;
    this.options = options;
  }

  async query(sql: string, binds: SqlBinds): Promise<SqlRow[]> {
    this.lease ??= this.client.acquire(this.options);
    return (await this.lease).query(sql, binds);
  }

  async release(): Promise<void> {
    const lease = this.lease;
    this.lease = undefined;
    if (!lease) return;
    // A failed acquire left nothing to give back.
    const acquired = await lease.catch(() => undefined);
    await acquired?.release();
  }
}

/**
 * Provides `context.db` and gives the connection back to the pool after the response and after any error,
 * so no path leaks a connection.
 */
export const dbConnection = (opts: {
  client: SqlClient;
}): MiddlewareObj<unknown, unknown, Error, AppContext> => {
  const { client } = opts;

  // request-context runs first (http-chain.ts) and sets the budget; without one, the client's own timeouts apply.
  const dbConnectionBefore = (request: HttpRequest): void => {
    const { budget } = request.context;
    request.context.db = new LazyLease(client, budget ? { timeLeftMs: () => budget.workMs() } : {});
  };
  const dbConnectionRelease = async (request: HttpRequest): Promise<void> => {
    await request.context.db?.release();
  };
  /**
   * On the error path the connection may still be inside a call that nothing could interrupt (node-oracledb
   * serialises `close()` behind a running `execute()`, and thin mode's call timeout waits for the server to
   * answer its break). The audit runs after this hook, so the release is awaited for RELEASE_ON_ERROR_MS at
   * most: past that it finishes in the background, and the request goes on to its answer and audit item.
   */
  const dbConnectionReleaseOnError = async (request: HttpRequest): Promise<void> => {
    const lease = request.context.db;
    if (!lease) return;
    await withDeadline(lease.release(), RELEASE_ON_ERROR_MS, () => undefined, 'connection release').catch(
      () => undefined,
    );
  };

  return {
    before: dbConnectionBefore,
    after: dbConnectionRelease,
    onError: dbConnectionReleaseOnError,
  } as MiddlewareObj<unknown, unknown, Error, AppContext>;
};
