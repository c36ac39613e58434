// Runs the Postman collection (infra-local/postman/) headless with newman against start-api, as CI does:
// the server and its stores (DynamoDB Local, node:sqlite) start on free ports in a temp folder, so a developer's
// running `npm run start-api` or `dev:env` is never touched. Exits non-zero on any failed assertion.
// Usage: node tools/local/test-api.ts [--no-build] [--verbose]
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import newman from 'newman';
import type { NewmanRunSummary } from 'newman';
import { testApiFunctions } from '#testing/api-functions.ts';
import { TestStores } from '#testing/test-stores.ts';
import { startApiServer } from '#infra-local/lite/api-server.ts';
import { repoRoot } from '#build/paths.ts';

const { values } = parseArgs({
  options: {
    'no-build': { type: 'boolean', default: false },
    verbose: { type: 'boolean', short: 'v', default: false },
  },
});

const root = repoRoot();
// TestStores seeds from the working directory's seed SQL.
process.chdir(root);
const collection = join(root, 'infra-local', 'postman', 'pricing-api.postman_collection.json');
const discard = new Writable({ write: (_chunk, _encoding, done) => done() });

const stores = await TestStores.start();
try {
  const server = await startApiServer({
    root,
    functions: testApiFunctions(stores),
    port: 0,
    build: !values['no-build'],
    ...(values.verbose ? {} : { functionLogs: discard, log: () => undefined }),
  });
  try {
    process.stderr.write(`test:api: start-api on ${server.url}, running ${collection}\n`);
    const summary = await new Promise<NewmanRunSummary>((resolve, reject) => {
      newman.run(
        {
          collection,
          envVar: [{ key: 'baseUrl', value: server.url }],
          reporters: 'cli',
          reporter: { cli: { noSummary: false } },
          timeoutRequest: 15_000,
        },
        (error, result) => (error ? reject(error) : resolve(result)),
      );
    });
    const { assertions, requests } = summary.run.stats;
    const failed = assertions.failed + requests.failed + summary.run.failures.length;
    process.stdout.write(
      `newman: ${assertions.total - assertions.failed} passed, ${assertions.failed} failed\n`,
    );
    process.exitCode = failed > 0 ? 1 : 0;
  } finally {
    await server.close();
  }
} finally {
  await stores.close();
}
