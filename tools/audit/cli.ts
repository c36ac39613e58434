// Answers the auditor's questions from the audit trail, with one DynamoDB Query (never a Scan):
//   npm run audit:query -- --product PROD-101 [--from <iso>] [--to <iso>]   who looked at this price, and when?
//   npm run audit:query -- --user <uuid> [--from <iso>] [--to <iso>]         what did this person look at?
//   npm run audit:query -- --config <key> [--from <iso>] [--to <iso>]        who read or changed this config key?
// Options: --format table|json|csv (default table), --page-size <1-1000>,
//          --stage <stage> [--region <region>] for the real table pricing-audit-<stage> (default AWS credentials),
//          --endpoint <url> / --table <name> to point at another local table (default: the lite table).
// Rows go to stdout; progress and the summary go to stderr, so `--format csv > export.csv` stays clean.
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { repoRoot } from '#build/paths.ts';
import type { AuditQuery } from './model.ts';
import { queryAuditTrail } from './query.ts';
import { UsageError, parseAuditQueryArgs } from './args.ts';
import type { AuditQueryArgs } from './args.ts';
import { createAuditWriter } from './format.ts';
import type { AuditTarget } from './target.ts';
import { resolveAuditTarget } from './target.ts';

const log = (message: string): void => {
  process.stderr.write(`audit-query: ${message}\n`);
};

const readArgs = (): AuditQueryArgs => {
  try {
    const { values } = parseArgs({
      strict: true,
      options: {
        product: { type: 'string' },
        user: { type: 'string' },
        config: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        format: { type: 'string' },
        stage: { type: 'string' },
        region: { type: 'string' },
        endpoint: { type: 'string' },
        table: { type: 'string' },
        'page-size': { type: 'string' },
      },
    });
    return parseAuditQueryArgs(values);
  } catch (error) {
    const message = error instanceof UsageError ? error.message : (error as Error).message.split('\n')[0];
    log(
      `${message}\nusage: npm run audit:query -- (--product <id> | --user <uuid> | --config <key>) [--from <iso>] [--to <iso>] [--format table|json|csv] [--stage <stage> [--region <region>]]`,
    );
    process.exit(2);
  }
};

/** What went wrong, for staff: where the table is and what to do, never a stack trace. */
const explain = (error: Error, target: AuditTarget): string => {
  if (target.local && /ECONNREFUSED|connect|socket/i.test(`${error.name} ${error.message}`)) {
    return `no DynamoDB answers at ${target.location}: start the local stores with "npm run dev:env"`;
  }
  if (error.name === 'ResourceNotFoundException') {
    return `table ${target.tableName} (or its byResource index) does not exist at ${target.location}`;
  }
  return `${error.name}: ${error.message}`;
};

/** What the query is about, for the summary line: the validated id only. */
const describeQuery = (query: AuditQuery): string => {
  switch (query.by) {
    case 'product':
      return `product ${query.productId}`;
    case 'user':
      return `user ${query.userId}`;
    case 'config':
      return `config key ${query.configKey}`;
  }
};

const args = readArgs();
const target = resolveAuditTarget(args, repoRoot());
// A closed pipe (`| head`) ends the export quietly.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

let drained = true;
const writer = createAuditWriter(args.format, (text) => {
  drained = process.stdout.write(text) && drained;
});
const subject = describeQuery(args.query);
const interactive = process.stderr.isTTY === true;
let total = 0;
let pages = 0;

try {
  for await (const page of queryAuditTrail(target.client, {
    tableName: target.tableName,
    query: args.query,
    ...(args.pageSize ? { pageSize: args.pageSize } : {}),
  })) {
    pages = page.page;
    total += page.items.length;
    writer.write(page.items);
    if (pages > 1) {
      const progress = `page ${pages}, ${total} items so far`;
      if (interactive) process.stderr.write(`\raudit-query: ${progress}`);
      else log(progress);
    }
    if (!drained) {
      await once(process.stdout, 'drain');
      drained = true;
    }
  }
  writer.end();
  if (interactive && pages > 1) process.stderr.write('\n');
  log(
    `${total} ${total === 1 ? 'item' : 'items'} for ${subject} in ${pages} Query ${pages === 1 ? 'page' : 'pages'} from ${target.tableName} (${target.location})`,
  );
} catch (error) {
  if (interactive && pages > 1) process.stderr.write('\n');
  log(explain(error as Error, target));
  process.exitCode = 1;
} finally {
  target.client.destroy();
}
