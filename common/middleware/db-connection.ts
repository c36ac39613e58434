import type { MiddlewareObj } from '@middy/core';
import type { AppContext, HttpRequest } from '../types/lambda.ts';
import type { SqlBinds, SqlClient, SqlLease, SqlRow } from '../clients/sql/sql-client.ts';

/** A lease that borrows a connection on first use, so rejected requests never touch the pool. */
class LazyLease implements SqlLease {
  private lease: Promise<SqlLease> | undefined;
  private readonly client: SqlClient;

  constructor(client: SqlClient) {
    this.client = client;
  }

  async query(sql: string, binds: SqlBinds): Promise<SqlRow[]> {
    this.lease ??= this.client.acquire();
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

  const dbConnectionBefore = (request: HttpRequest): void => {
    request.context.db = new LazyLease(client);
  };
  const dbConnectionRelease = async (request: HttpRequest): Promise<void> => {
    await request.context.db?.release();
  };

  return {
    before: dbConnectionBefore,
    after: dbConnectionRelease,
    onError: dbConnectionRelease,
  } as MiddlewareObj<unknown, unknown, Error, AppContext>;
};
