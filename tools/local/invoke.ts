// Invokes a function's built bundle locally, like `sam local invoke`, with no Docker.
// Usage: node tools/local/invoke.ts <function> [--event <file>] [--env-vars <file.json>] [--no-build]
//          [--pretty] [--debug [--debug-port 9229]]
// Prints the Lambda result on stdout (as JSON, or formatted for reading with --pretty); the function's logs
// go to stderr. --debug waits for a debugger on 127.0.0.1:9229 before running (see docs/local-api.md).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { relaunchUnderInspector, underDebugger, withoutDebugFlags } from '#infra-local/lite/inspector.ts';
import { invokeLocalLambda } from '#infra-local/lite/lambda-runtime.ts';
import { findFunction, liteApiAuthorizer, liteEnvironment } from '#infra-local/lite/lite-env.ts';
import { ensureLocalIssuer, localKeyFile } from './identity/ensure-issuer.ts';
import { fillTokenPlaceholders, hasTokenPlaceholder } from './identity/token-placeholders.ts';
import { repoRoot } from '#build/paths.ts';
import { ensureLiteStores, leftRunningNotice } from '#infra-local/lite/stores.ts';

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
    pretty: { type: 'boolean', default: false },
    debug: { type: 'boolean', default: false },
    'debug-port': { type: 'string', default: '9229' },
  },
});

if (values.debug && !underDebugger()) {
  // Worker threads cannot take --inspect: run this script again under --inspect-brk, which waits for the
  // debugger to attach; the debugger then reaches the execution environment's worker too.
  const port = Number(values['debug-port']);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail('--debug-port must be a port number');
  process.stderr.write(
    `invoke: waiting for a debugger on 127.0.0.1:${port} (VS Code: "Attach to lite runner"; Chrome: chrome://inspect)\n`,
  );
  process.exit(
    await relaunchUnderInspector({
      script: fileURLToPath(import.meta.url),
      args: withoutDebugFlags(process.argv.slice(2)),
      port,
      waitForDebugger: true,
    }),
  );
}

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
let eventText = '';
try {
  eventText = readFileSync(resolve(eventFile), 'utf8');
} catch (error) {
  fail(`cannot read event ${eventFile}: ${(error as Error).message}`);
}

if (!values['no-build']) {
  const { buildFunctions } = await import('#build/build-functions.ts');
  await buildFunctions(root);
}

const env = liteEnvironment(root, fn, values['env-vars'] ? resolve(values['env-vars']) : undefined);
// A function with no DynamoDB (the authorizer) needs no stores.
const stores =
  env.DYNAMODB_ENDPOINT === undefined
    ? undefined
    : await ensureLiteStores({
        root,
        env,
        envVarsFile: values['env-vars'] ? resolve(values['env-vars']) : undefined,
      }).catch((error: unknown) => fail((error as Error).message));
if (stores && env.SQLITE_PATH !== undefined) env.SQLITE_PATH = stores.sqlitePath;

// The authorizer verifies against the local issuer: make sure one answers (starting it for this run if not),
// and sign the event's {{local-token ...}} placeholders now, with its key (docs/auth.md).
const authorizer = liteApiAuthorizer(root, values['env-vars'] ? resolve(values['env-vars']) : undefined);
const issuer =
  authorizer && (fn.logicalId === authorizer.fn.logicalId || hasTokenPlaceholder(eventText))
    ? await ensureLocalIssuer({ root, env: authorizer.env })
    : undefined;
let event: unknown;
try {
  if (authorizer && hasTokenPlaceholder(eventText)) {
    eventText = await fillTokenPlaceholders(eventText, {
      keyFile: localKeyFile(root),
      issuer: authorizer.env.TOKEN_ISSUER!,
      audience: authorizer.env.TOKEN_AUDIENCE!,
      rolesClaim: authorizer.env.ROLES_CLAIM,
    });
  }
  event = JSON.parse(eventText);
} catch (error) {
  await issuer?.stop();
  fail(`cannot use event ${eventFile}: ${(error as Error).message}`);
}
process.stderr.write(
  `invoke: ${fn.name} (${fn.logicalId}) with ${eventFile}${stores ? `; DynamoDB at ${stores.dynamoEndpoint}` : ''}${issuer ? `; issuer ${issuer.url}${issuer.started ? ' (started for this run)' : ''}` : ''}\n`,
);
if (stores?.startedPid !== undefined)
  process.stderr.write(`invoke: ${leftRunningNotice(stores.dynamoEndpoint, stores.startedPid)}\n`);

try {
  const outcome = await invokeLocalLambda({
    codeDir: fn.codeDir,
    handler: fn.handler,
    env,
    event,
    functionName: fn.functionName,
    // Under a debugger a breakpoint may hold the invocation for minutes: no timeout, as with sam local -d.
    timeoutSeconds: underDebugger() ? 24 * 60 * 60 : fn.timeoutSeconds,
    memoryMb: fn.memoryMb,
  });
  const output = outcome.ok ? outcome.result : outcome.error;
  if (values.pretty) {
    const { formatResponse } = (await import('./format-response.js')) as {
      formatResponse: (result: unknown, options?: { color?: boolean }) => string;
    };
    const color = process.stdout.isTTY === true && !process.env.NO_COLOR;
    process.stdout.write(`${formatResponse(output, { color })}\n`);
  } else {
    process.stdout.write(`${JSON.stringify(output)}\n`);
  }
  process.exitCode = outcome.ok ? 0 : 1;
} finally {
  await issuer?.stop();
}
