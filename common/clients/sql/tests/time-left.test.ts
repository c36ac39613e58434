import { SourceUnavailableError } from '#common/errors/app-errors.ts';
import type { OracleConnectionLike, OraclePoolLike } from '../oracle-client.ts';
import { OracleSqlClient } from '../oracle-client.ts';
import type { PasswordSource } from '../oracle-password.ts';
import { SqliteSqlClient } from '../sqlite-client.ts';

const SQL = 'SELECT product_id FROM product_prices WHERE product_id = :id';

/** A fake oracledb pool that records what the client asked of it, and when. */
class RecordingPool implements OraclePoolLike {
  connectionsOpen = 0;
  connectionsInUse = 0;
  getConnectionCalls = 0;
  closedConnections = 0;
  /** The call timeout each execute saw, in order. */
  readonly callTimeouts: (number | undefined)[] = [];
  getConnectionImpl: () => Promise<void> = async () => undefined;

  async getConnection(): Promise<OracleConnectionLike> {
    this.getConnectionCalls += 1;
    await this.getConnectionImpl();
    this.connectionsInUse += 1;
    const connection: OracleConnectionLike = {
      callTimeout: undefined,
      execute: async () => {
        this.callTimeouts.push(connection.callTimeout);
        return { rows: [] };
      },
      close: async () => {
        this.connectionsInUse -= 1;
        this.closedConnections += 1;
      },
    };
    return connection;
  }

  async close(): Promise<void> {
    this.connectionsOpen = 0;
  }
}

const oracleError = (code: string) => Object.assign(new Error(`${code}: from the driver`), { code });

describe("OracleSqlClient with the caller's time left (a fake pool)", () => {
  let pool: RecordingPool;
  let pools: number;
  let passwordAsks: { forceFetch: boolean }[];
  let client: OracleSqlClient;

  /** Own bounds far above a test's time: a wait that ends early was cut by the time left. */
  const settings = (password: PasswordSource) => ({
    connectString: 'db.internal:1521/PRICING',
    user: 'pricing',
    password,
    poolMax: 2,
    connectTimeoutMs: 40_000,
    callTimeoutMs: 2000,
    queueTimeoutMs: 20_000,
  });

  beforeEach(() => {
    pool = new RecordingPool();
    pools = 0;
    passwordAsks = [];
    client = new OracleSqlClient({
      settings: settings(async (options) => {
        passwordAsks.push(options);
        return 'secret';
      }),
      createPool: async () => {
        pools += 1;
        return pool;
      },
    });
  });

  it("sets each query's call timeout to the smaller of its own and the time left, asked again before every query", async () => {
    const left = [5000, 700.6, 1];
    const lease = await client.acquire({ timeLeftMs: () => left[pool.callTimeouts.length] ?? 0 });

    await lease.query(SQL, { id: 'PROD-101' });
    await lease.query(SQL, { id: 'PROD-101' });
    await lease.query(SQL, { id: 'PROD-101' });
    await lease.release();

    expect(pool.callTimeouts).toEqual([2000, 700, 1]);
  });

  it('without a time left, keeps its own call timeout', async () => {
    const lease = await client.acquire();

    await lease.query(SQL, { id: 'PROD-101' });
    await lease.release();

    expect(pool.callTimeouts).toEqual([2000]);
  });

  it('when no time is left, fails with SourceUnavailableError and never asks the pool for a connection', async () => {
    await client.warm();

    await expect(client.acquire({ timeLeftMs: () => 0 })).rejects.toBeInstanceOf(SourceUnavailableError);

    expect(pool.getConnectionCalls).toBe(0);
  });

  it('when the time runs out after the connection, refuses the query with SourceUnavailableError without executing it', async () => {
    let left = 500;
    const lease = await client.acquire({ timeLeftMs: () => left });
    left = 0;

    await expect(lease.query(SQL, { id: 'PROD-101' })).rejects.toBeInstanceOf(SourceUnavailableError);
    await lease.release();

    expect(pool.callTimeouts).toEqual([]);
    expect(pool.connectionsInUse).toBe(0);
  });

  it('waits for a connection no longer than the time left, and returns one that arrives later to the pool', async () => {
    let arrive: () => void = () => undefined;
    pool.getConnectionImpl = () => new Promise<void>((resolve) => (arrive = resolve));

    // The own bounds (60 s) are above Jest's timeout: only the time left can end this wait.
    await expect(client.acquire({ timeLeftMs: () => 30 })).rejects.toBeInstanceOf(SourceUnavailableError);
    arrive();
    await new Promise((resolve) => setImmediate(resolve));

    expect(pool.closedConnections).toBe(1);
    expect(pool.connectionsInUse).toBe(0);
  });

  it('after ORA-01017 with no time left, skips the rotation retry: no new pool, no secret fetched again', async () => {
    await client.warm();
    let left = 500;
    pool.getConnectionImpl = async () => {
      left = 0; // the refusal came back just as the request's work budget ran out
      throw oracleError('ORA-01017');
    };

    await expect(client.acquire({ timeLeftMs: () => left })).rejects.toBeInstanceOf(SourceUnavailableError);

    expect(pool.getConnectionCalls).toBe(1);
    expect(pools).toBe(1);
    expect(passwordAsks).toEqual([{ forceFetch: false }]);
  });

  it("after ORA-01017 with time left, the rotation retry's connect is bounded by the time left too", async () => {
    await client.warm();
    pool.getConnectionImpl = async () => {
      if (pool.getConnectionCalls === 1) throw oracleError('ORA-01017');
      await new Promise<void>(() => undefined); // the rebuilt pool's connect hangs
    };

    await expect(client.acquire({ timeLeftMs: () => 30 })).rejects.toBeInstanceOf(SourceUnavailableError);

    expect(pool.getConnectionCalls).toBe(2);
    expect(passwordAsks).toEqual([{ forceFetch: false }, { forceFetch: true }]);
  });
});

describe("SqliteSqlClient with the caller's time left", () => {
  const client = new SqliteSqlClient({ path: ':memory:' });
  afterAll(() => client.close());

  it('runs a query while time is left, and refuses one with SourceUnavailableError once it is spent', async () => {
    let left = 100;
    const lease = await client.acquire({ timeLeftMs: () => left });

    await expect(lease.query('SELECT 1 AS one', {})).resolves.toEqual([{ one: 1 }]);
    left = 0;
    await expect(lease.query('SELECT 1 AS one', {})).rejects.toBeInstanceOf(SourceUnavailableError);
    await lease.release();

    expect(client.stats().inUse).toBe(0);
  });
});
