import { fixedPassword } from '#common/clients/sql/oracle-password.ts';
import { OracleSqlClient } from '#common/clients/sql/oracle-client.ts';
import { SqlPriceRepository } from '../src/repository-sql.ts';

/**
 * Runs against a real Oracle (the Docker stack: `npm run dev:env -- --docker`, or any database with the
 * seed loaded) when ORACLE_CONNECT_STRING, ORACLE_USER and ORACLE_PASSWORD are set. Otherwise the suite is
 * reported as skipped, with the reason printed: nothing here pretends to have talked to Oracle.
 */
const { ORACLE_CONNECT_STRING, ORACLE_USER, ORACLE_PASSWORD } = process.env;
const configured = Boolean(ORACLE_CONNECT_STRING && ORACLE_USER && ORACLE_PASSWORD);
const describeWhenOracle = configured ? describe : describe.skip;
if (!configured) {
  process.stderr.write(
    'oracle.integration.test.ts: SKIPPED - set ORACLE_CONNECT_STRING, ORACLE_USER and ORACLE_PASSWORD to run it against a real Oracle.\n',
  );
}

describeWhenOracle('SqlPriceRepository against a real Oracle', () => {
  const client = new OracleSqlClient({
    settings: {
      connectString: ORACLE_CONNECT_STRING ?? '',
      user: ORACLE_USER ?? '',
      password: fixedPassword(ORACLE_PASSWORD ?? ''),
      poolMax: 2,
      connectTimeoutMs: 5000,
      callTimeoutMs: 5000,
      queueTimeoutMs: 5000,
    },
  });
  const repository = new SqlPriceRepository();
  afterAll(() => client.close());

  it.each([
    ['PROD-101', 99.99, 'USD'],
    ['PROD-CHEAP', 0.1, 'USD'],
    ['PROD-BIG', 1234567.89, 'USD'],
  ])('reads the seeded %s with the same SQL text as the embedded engine', async (id, price, currency) => {
    const lease = await client.acquire();
    try {
      await expect(repository.findByProductId(id, lease)).resolves.toEqual({
        productId: id,
        price,
        currency,
      });
    } finally {
      await lease.release();
    }
    expect(client.stats().inUse).toBe(0);
  });

  it('returns undefined for an unknown product', async () => {
    const lease = await client.acquire();
    try {
      await expect(repository.findByProductId('PROD-NOPE', lease)).resolves.toBeUndefined();
    } finally {
      await lease.release();
    }
  });
});
