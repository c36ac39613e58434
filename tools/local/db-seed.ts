// Re-seeds the lite stores: rebuilds the embedded SQL database from the seed SQL and creates any missing
// DynamoDB tables, and writes version 1 of every config registry key that has no version yet. Audit items
// and config versions already written are kept: a seed never wipes the audit trail or config history.
import { isAbsolute, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { findFunction, liteEnvironment, localTableNames } from '#infra-local/lite/lite-env.ts';
import { repoRoot } from '#build/paths.ts';
import { dynamoReachable } from '#infra-local/lite/stores.ts';
import { seedLocalTables } from '#infra-local/seed/template-tables.ts';
import { seedSqlite } from '#infra-local/seed/seed-sqlite.ts';

const { values } = parseArgs({ options: { 'env-vars': { type: 'string' } } });
const envVarsFile = values['env-vars'] ? resolve(values['env-vars']) : undefined;
const root = repoRoot();
const env = liteEnvironment(root, findFunction(root, 'price-fetcher'), envVarsFile);
const sqlitePath = isAbsolute(env.SQLITE_PATH!) ? env.SQLITE_PATH! : join(root, env.SQLITE_PATH!);
const { products } = seedSqlite(root, sqlitePath);
process.stdout.write(
  `db:seed: ${sqlitePath} rebuilt from infra-local/seed/product-prices.sql (${products} products)\n`,
);

const endpoint = env.DYNAMODB_ENDPOINT!;
if (await dynamoReachable(endpoint)) {
  for (const [table, outcome] of Object.entries(
    await seedLocalTables(endpoint, root, localTableNames(root, envVarsFile)),
  )) {
    process.stdout.write(`db:seed: table ${table}: ${outcome}\n`);
  }
} else {
  process.stdout.write(
    `db:seed: no DynamoDB API at ${endpoint}; start it with "npm run dev:env" (invoke starts its own)\n`,
  );
}
