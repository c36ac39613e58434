// Serves every API route of infra-local/local-debug.yaml on http://127.0.0.1:3000, with no Docker: the
// Docker-free equivalent of `sam local start-api`, with hot reload. See docs/local-api.md.
// Usage: node tools/local/start-api.ts [--port 3000] [--host 127.0.0.1] [--env-vars <file.json>]
//          [--no-watch] [--no-build] [--pool-size 4] [--quiet] [--debug [--debug-port 9229]]
import { resolve } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startApiServer } from '#infra-local/lite/api-server.ts';
import { relaunchUnderInspector, underDebugger, withoutDebugFlags } from '#infra-local/lite/inspector.ts';
import { liteApiAuthorizer, liteApiFunctions } from '#infra-local/lite/lite-env.ts';
import { ensureLocalIssuer } from '#tools/local/identity/ensure-issuer.ts';
import { repoRoot } from '#build/paths.ts';
import type { LiteStores } from '#infra-local/lite/stores.ts';
import { ensureLiteStores, leftRunningNotice } from '#infra-local/lite/stores.ts';

const fail = (message: string): never => {
  process.stderr.write(`start-api: ${message}\n`);
  process.exit(2);
};

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        port: { type: 'string', short: 'p' },
        host: { type: 'string', default: '127.0.0.1' },
        'env-vars': { type: 'string', short: 'n' },
        'no-watch': { type: 'boolean', default: false },
        'no-build': { type: 'boolean', default: false },
        'pool-size': { type: 'string', default: '4' },
        quiet: { type: 'boolean', short: 'q', default: false },
        debug: { type: 'boolean', default: false },
        'debug-port': { type: 'string', default: '9229' },
      },
    });
  } catch (error) {
    return fail((error as Error).message);
  }
})();

const integer = (name: string, value: string, min: number, max: number): number => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min || parsed > max)
    fail(`${name} must be an integer from ${min} to ${max}`);
  return parsed;
};

if (values.debug && !underDebugger()) {
  // The server keeps running while the debugger attaches (--inspect, not --inspect-brk): breakpoints in a
  // function's code are hit on the next request.
  process.exitCode = await relaunchUnderInspector({
    script: fileURLToPath(import.meta.url),
    args: withoutDebugFlags(process.argv.slice(2)),
    port: integer('--debug-port', values['debug-port'], 0, 65535),
    waitForDebugger: false,
  });
} else {
  await serve();
}

async function serve(): Promise<void> {
  const port = integer('--port', values.port ?? process.env.PORT ?? '3000', 0, 65535);
  const poolSize = integer('--pool-size', values['pool-size'], 1, 64);
  const root = repoRoot();
  const envVarsFile = values['env-vars'] ? resolve(values['env-vars']) : undefined;
  const functions = liteApiFunctions(root, envVarsFile);
  if (functions.length === 0) fail('the template declares no Api events: nothing to serve');

  const stores: LiteStores[] = [];
  for (const { env } of functions) {
    const store = await ensureLiteStores({ root, env, envVarsFile }).catch((error: unknown) =>
      fail((error as Error).message),
    );
    if (env.SQLITE_PATH !== undefined) env.SQLITE_PATH = store.sqlitePath;
    stores.push(store);
  }
  // Every route is behind the template's token authorizer, with the local issuer it trusts: no bypass.
  const authorizer = liteApiAuthorizer(root, envVarsFile);
  let issuer;
  try {
    issuer = authorizer ? await ensureLocalIssuer({ root, env: authorizer.env }) : undefined;
  } catch (error) {
    return fail((error as Error).message);
  }
  const started = stores.find((store) => store.startedPid !== undefined);

  const debug = underDebugger();
  let server;
  try {
    server = await startApiServer({
      root,
      functions,
      authorizer,
      port,
      host: values.host,
      build: !values['no-build'],
      watch: !values['no-watch'] && !values['no-build'],
      poolSize,
      debug,
      // --quiet drops the functions' own log lines; the access log stays.
      ...(values.quiet ? { functionLogs: new Writable({ write: (_chunk, _encoding, done) => done() }) } : {}),
    });
  } catch (error) {
    await issuer?.stop();
    return fail((error as Error).message);
  }

  const say = (line: string) => process.stderr.write(`${line}\n`);
  say(`start-api: DynamoDB at ${stores[0]!.dynamoEndpoint}`);
  if (started) say(`start-api: ${leftRunningNotice(started.dynamoEndpoint, started.startedPid!)}`);
  if (authorizer && issuer) {
    say(
      `start-api: every route needs "${authorizer.header}: Bearer <token>" (${authorizer.fn.name}, cached ${authorizer.ttlSeconds} s); issuer ${issuer.url}${issuer.started ? ' (started for this server)' : ''}; a token: npm run token -- --user <uuid> --role price-reader`,
    );
  }
  for (const route of server.routes)
    say(`  ${route.method.padEnd(7)} ${server.url}${route.path}  -> ${route.functionName}`);
  say(
    `  GET     ${server.url}/openapi.json  (the API's OpenAPI 3.1 document; ${server.url}/docs to read it)`,
  );
  say(
    `start-api: ${values['no-watch'] || values['no-build'] ? 'hot reload off' : 'hot reload on (functions/, common/)'}${debug ? ', debugger mode (no function timeout)' : ''}. Ctrl-C stops.`,
  );
  // The URL alone on stdout, so scripts and tests can read where the server listens.
  process.stdout.write(`${server.url}\n`);

  let closing = false;
  const shutdown = () => {
    if (closing) return;
    closing = true;
    say('start-api: stopping');
    void server
      .close()
      .then(() => issuer?.stop())
      .then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}
