// Invokes a function's built bundle locally, like `sam local invoke`, with no Docker.
// Usage: node common/scripts/invoke.ts <function> [--event <file>] [--env-vars <file.json>] [--no-build]
// Prints the Lambda result on stdout; the function's logs go to stderr.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { invokeLocalLambda } from '../../infra-local/lite/lambda-runtime.ts';
import { findFunction, liteEnvironment } from '../../infra-local/lite/lite-env.ts';
import { repoRoot } from '../../infra-local/lite/paths.ts';
import { ensureLiteStores } from '../../infra-local/lite/stores.ts';

const fail = (message: string): never => {
  process.stderr.write(`invoke: ${message}\n`);
  process.exit(2);
};

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    event: { type: 'string', short: 'e' },
    'default-event': { type: 'string' },
    'env-vars': { type: 'string', short: 'n' },
    'no-build': { type: 'boolean', default: false },
  },
});

const root = repoRoot();
const name = positionals[0] ?? fail('name the function to invoke, e.g. price-fetcher');
const fn = (() => {
  try {
    return findFunction(root, name);
  } catch (error) {
    return fail((error as Error).message);
  }
})();
const eventFile = values.event ?? values['default-event'] ?? fail('pass --event <file>');
let event: unknown;
try {
  event = JSON.parse(readFileSync(resolve(eventFile), 'utf8'));
} catch (error) {
  fail(`cannot read event ${eventFile}: ${(error as Error).message}`);
}

if (!values['no-build']) {
  const { buildFunctions } = (await import('../../esbuild.config.js')) as {
    buildFunctions: (root: string, only?: string[]) => Promise<unknown>;
  };
  await buildFunctions(root);
}

const env = liteEnvironment(root, fn, values['env-vars'] ? resolve(values['env-vars']) : undefined);
const stores = await ensureLiteStores({
  root,
  env,
  envVarsFile: values['env-vars'] ? resolve(values['env-vars']) : undefined,
});
if (env.SQLITE_PATH !== undefined) env.SQLITE_PATH = stores.sqlitePath;
process.stderr.write(
  `invoke: ${fn.name} (${fn.logicalId}) with ${eventFile}; DynamoDB at ${stores.dynamoEndpoint}${stores.started ? ' (started for this run)' : ''}\n`,
);

try {
  const outcome = await invokeLocalLambda({
    codeDir: fn.codeDir,
    handler: fn.handler,
    env,
    event,
    functionName: fn.functionName,
    timeoutSeconds: fn.timeoutSeconds,
    memoryMb: fn.memoryMb,
  });
  process.stdout.write(`${JSON.stringify(outcome.ok ? outcome.result : outcome.error)}\n`);
  process.exitCode = outcome.ok ? 0 : 1;
} finally {
  await stores.stop();
}
