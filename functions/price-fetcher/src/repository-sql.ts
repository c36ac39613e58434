import type { Price } from '#common/models/price.ts';
import { PriceRowSchema, priceFromRow } from '#common/models/price.ts';
import type { SqlLease, SqlRow } from '#common/clients/sql/sql-client.ts';
import type { PriceRepository } from './service.ts';

/**
 * The only SQL price-fetcher runs. Constant text, one bind variable; the same text runs on Oracle and on
 * the embedded engine. Numbers arrive as strings from Oracle, as numbers from node:sqlite.
 */
export const SELECT_PRICE_SQL =
  'SELECT product_id, price, currency FROM product_prices WHERE product_id = :id';

/** Oracle upper-cases unquoted column names; node:sqlite keeps them as written. */
const lowerCaseKeys = (row: SqlRow): SqlRow => {
  const lowered: SqlRow = {};
  for (const key of Object.keys(row)) lowered[key.toLowerCase()] = row[key];
  return lowered;
};

export class CorruptPriceRowError extends Error {
  constructor(cause: unknown) {
    super('A product_prices row failed validation', { cause });
    this.name = 'CorruptPriceRowError';
  }
}

/** Reads prices through the request's connection lease (`context.db`). Stateless: one per container. */
export class SqlPriceRepository implements PriceRepository<SqlLease> {
  async findByProductId(productId: string, db: SqlLease): Promise<Price | undefined> {
    const rows = await db.query(SELECT_PRICE_SQL, { id: productId });
    const [row] = rows;
    if (!row) return undefined;
    const parsed = PriceRowSchema.safeParse(lowerCaseKeys(row));
    if (!parsed.success) throw new CorruptPriceRowError(parsed.error);
    return priceFromRow(parsed.data);
  }
}
