import type { AcquireOptions, SqlClient, SqlLease } from '../../clients/sql/sql-client.ts';
import { ANSWER_ALLOWANCE_MS, createRequestBudget } from '../../kernel/request-budget.ts';
import type { HttpRequest } from '../../types/lambda.ts';
import { dbConnection } from '../db-connection.ts';

/** A SqlClient that records the options of every acquire and hands out a lease that answers nothing. */
const recordingClient = () => {
  const acquired: AcquireOptions[] = [];
  const lease: SqlLease = { query: async () => [], release: async () => undefined };
  const client: SqlClient = {
    engine: 'sqlite',
    warm: async () => undefined,
    acquire: async (options = {}) => {
      acquired.push(options);
      return lease;
    },
    stats: () => ({ open: 0, inUse: 0 }),
    close: async () => undefined,
  };
  return { client, acquired };
};

const requestWith = (context: Partial<HttpRequest['context']>) => ({ context }) as unknown as HttpRequest;

describe('dbConnection', () => {
  it("bounds the lease by the request's work budget, read when the connection is borrowed", async () => {
    const { client, acquired } = recordingClient();
    let clock = 0;
    // 10 s left, 2.25 s audit reserve, 1 s margin and the answer's allowance: 6.55 s of work at the start.
    const budget = createRequestBudget({ remainingMs: 10_000, auditReserveMs: 2250, now: () => clock });
    const request = requestWith({ budget });
    const middleware = dbConnection({ client });

    (middleware.before as (request: HttpRequest) => void)(request);
    clock = 6000;
    await request.context.db!.query('SELECT 1', {});

    expect(acquired).toHaveLength(1);
    expect(acquired[0]!.timeLeftMs!()).toBe(750 - ANSWER_ALLOWANCE_MS);
    clock = 7000;
    expect(acquired[0]!.timeLeftMs!()).toBe(0);
  });

  it("without a budget on the context, leaves the client's own timeouts alone", async () => {
    const { client, acquired } = recordingClient();
    const request = requestWith({});

    (dbConnection({ client }).before as (request: HttpRequest) => void)(request);
    await request.context.db!.query('SELECT 1', {});

    expect(acquired).toEqual([{}]);
  });
});
