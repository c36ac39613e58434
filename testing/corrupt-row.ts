import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSqlite } from '#common/clients/sql/sqlite-client.ts';

/** A copy of the seeded database with one row the repository must refuse (three decimals, bad currency). */
export const seedCorruptRow = (dir: string): string => {
  const path = join(dir, 'corrupt.db');
  copyFileSync(join(dir, 'price.db'), path);
  const { DatabaseSync } = loadSqlite();
  const db = new DatabaseSync(path);
  db.prepare('INSERT INTO product_prices (product_id, price, currency) VALUES (:id, :price, :currency)').run({
    id: 'PROD-BAD',
    price: 1.005,
    currency: 'XYZ',
  });
  db.close();
  return path;
};
