import { mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadSqlite } from '#common/clients/sql/sqlite-client.ts';

export const seedSqlPath = (root: string): string => join(root, 'infra-local', 'seed', 'product-prices.sql');

/**
 * Builds the embedded price database from the portable seed SQL, the same file Oracle XE loads.
 * It writes to a temporary file and renames it, so a reader never sees a half-built database.
 */
export const seedSqlite = (root: string, dbPath: string): { products: number } => {
  const { DatabaseSync } = loadSqlite();
  mkdirSync(dirname(dbPath), { recursive: true });
  const building = `${dbPath}.building`;
  rmSync(building, { force: true });
  const db = new DatabaseSync(building);
  try {
    db.exec(readFileSync(seedSqlPath(root), 'utf8'));
    const { count } = db.prepare('SELECT COUNT(*) AS count FROM product_prices').get() as { count: number };
    db.close();
    renameSync(building, dbPath);
    return { products: count };
  } catch (error) {
    db.close();
    rmSync(building, { force: true });
    throw error;
  }
};
