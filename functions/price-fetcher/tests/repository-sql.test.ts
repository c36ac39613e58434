import { fixedPassword } from '#common/clients/sql/oracle-password.ts';
import type oracledb from 'oracledb';
import { SourceUnavailableError } from '#common/errors/app-errors.ts';
import type { OracleConnectionLike, OraclePoolLike } from '#common/clients/sql/oracle-client.ts';
import { OracleSqlClient } from '#common/clients/sql/oracle-client.ts';
import { SqlPriceRepository, SELECT_PRICE_SQL } from '../src/repository-sql.ts';

/** A fake oracledb pool: records binds and options, counts open and in-use connections like the driver. */
class FakePool implements OraclePoolLike {
  connectionsOpen = 0;
  connectionsInUse = 0;
  readonly executed: { sql: string; binds: unknown; options: oracledb.ExecuteOptions }[] = [];
  closedConnections = 0;
  nextResult: () => Promise<{ rows?: unknown[] }> = async () => ({ rows: [] });
  getConnectionImpl: () => Promise<void> = async () => undefined;

  async getConnection(): Promise<OracleConnectionLike> {
    await this.getConnectionImpl();
    this.connectionsOpen = Math.max(this.connectionsOpen, this.connectionsInUse + 1);
    this.connectionsInUse += 1;
    const connection: OracleConnectionLike = {
      callTimeout: undefined,
      execute: async (sql, binds, options) => {
        this.executed.push({ sql, binds, options });
        return this.nextResult();
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

const settings = {
  connectString: 'db.internal:1521/PRICING',
  user: 'pricing',
  password: fixedPassword('secret'),
  poolMax: 2,
  connectTimeoutMs: 2500,
  callTimeoutMs: 2000,
  queueTimeoutMs: 1500,
};

const oracleError = (code: string) =>
  Object.assign(new Error(`${code}: something from the driver`), { code });

describe('OracleSqlClient and SqlPriceRepository against a fake oracledb pool', () => {
  let pool: FakePool;
  let attributes: oracledb.PoolAttributes | undefined;
  let client: OracleSqlClient;
  const repository = new SqlPriceRepository();

  beforeEach(() => {
    pool = new FakePool();
    client = new OracleSqlClient({
      settings,
      createPool: async (poolAttributes) => {
        attributes = poolAttributes;
        return pool;
      },
    });
  });

  it('configures a small pool and bounds every wait well below the Lambda timeout', async () => {
    await client.warm();

    expect(attributes).toMatchObject({
      connectString: 'db.internal:1521/PRICING',
      poolMin: 0,
      poolMax: 2,
      poolIncrement: 1,
      queueTimeout: 1500,
      connectTimeout: 3,
      transportConnectTimeout: 3,
      retryCount: 0,
    });
  });

  it('queries with the bind variable, sets the call timeout, and fetches NUMBER as a string', async () => {
    pool.nextResult = async () => ({ rows: [{ PRODUCT_ID: 'PROD-101', PRICE: '99.99', CURRENCY: 'USD' }] });
    const lease = await client.acquire();

    const price = await repository.findByProductId('PROD-101', lease);
    await lease.release();

    expect(price).toEqual({ productId: 'PROD-101', price: 99.99, currency: 'USD' });
    expect(pool.executed).toHaveLength(1);
    expect(pool.executed[0]!.sql).toBe(SELECT_PRICE_SQL);
    expect(pool.executed[0]!.sql).not.toContain('PROD-101');
    expect(pool.executed[0]!.binds).toEqual({ id: 'PROD-101' });
    const { default: driver } = await import('oracledb');
    const handler = pool.executed[0]!.options.fetchTypeHandler!;
    const numberColumn = {
      name: 'PRICE',
      dbType: driver.DB_TYPE_NUMBER,
    } as unknown as oracledb.Metadata<unknown>;
    expect(handler(numberColumn)).toEqual({ type: driver.STRING });
  });

  it('returns undefined when no row matches, and releases the connection', async () => {
    const lease = await client.acquire();
    await expect(repository.findByProductId('PROD-404', lease)).resolves.toBeUndefined();
    await lease.release();

    expect(client.stats()).toEqual({ open: 1, inUse: 0 });
  });

  it.each([
    'NJS-500',
    'NJS-503',
    'NJS-510',
    'NJS-040',
    'NJS-123',
    'DPI-1067',
    'ORA-03113',
    'ORA-12541',
    'ORA-03156',
  ])('maps the transient driver error %s to SourceUnavailableError', async (code) => {
    pool.nextResult = async () => {
      throw oracleError(code);
    };
    const lease = await client.acquire();
    const failure = repository.findByProductId('PROD-101', lease);
    await expect(failure).rejects.toBeInstanceOf(SourceUnavailableError);
    await lease.release();
    expect(pool.connectionsInUse).toBe(0);
  });

  it('lets a non-transient error (a wrong query) through as itself, to become a 500', async () => {
    pool.nextResult = async () => {
      throw oracleError('ORA-00942');
    };
    const lease = await client.acquire();
    await expect(repository.findByProductId('PROD-101', lease)).rejects.toMatchObject({ code: 'ORA-00942' });
    await lease.release();
    expect(pool.connectionsInUse).toBe(0);
  });

  it('maps a failed getConnection (database unreachable) to SourceUnavailableError', async () => {
    pool.getConnectionImpl = async () => {
      throw oracleError('NJS-503');
    };
    await expect(client.acquire()).rejects.toBeInstanceOf(SourceUnavailableError);
  });

  it('gives up on a getConnection that never settles, and closes the connection if it arrives late', async () => {
    let arrive: () => void = () => undefined;
    pool.getConnectionImpl = () => new Promise<void>((resolve) => (arrive = resolve));
    const fast = new OracleSqlClient({
      settings: { ...settings, connectTimeoutMs: 20, queueTimeoutMs: 20 },
      createPool: async () => pool,
    });

    await expect(fast.acquire()).rejects.toBeInstanceOf(SourceUnavailableError);
    arrive();
    await new Promise((resolve) => setImmediate(resolve));

    expect(pool.closedConnections).toBe(1);
    expect(pool.connectionsInUse).toBe(0);
  });

  it('refuses a row with more than two decimals instead of rounding it', async () => {
    pool.nextResult = async () => ({ rows: [{ PRODUCT_ID: 'PROD-101', PRICE: '99.999', CURRENCY: 'USD' }] });
    const lease = await client.acquire();
    await expect(repository.findByProductId('PROD-101', lease)).rejects.toThrow('failed validation');
    await lease.release();
  });

  it('retries pool creation on the next request when the first attempt failed', async () => {
    let attempts = 0;
    const flaky = new OracleSqlClient({
      settings,
      createPool: async () => {
        attempts += 1;
        if (attempts === 1) throw oracleError('NJS-503');
        return pool;
      },
    });
    await expect(flaky.warm()).rejects.toMatchObject({ code: 'NJS-503' });
    const lease = await flaky.acquire();
    await lease.release();
    expect(attempts).toBe(2);
  });
});
