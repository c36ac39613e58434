// One cold start, in a fresh process: import the bundle (module load + init) and answer one event.
// The bench build wraps each bundle with a banner and a footer that record when evaluation starts and ends,
// which splits the import into "load" (read, parse, compile, link) and "init" (module-level code).
// Usage: node bench/cold-start-probe.mjs <bundle> <event.json>   (environment = the function's)
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { createLambdaContext } from '#infra-local/lite/lambda-context.mjs';

const [bundle, eventFile] = process.argv.slice(2);
const event = JSON.parse(readFileSync(eventFile, 'utf8'));
const context = createLambdaContext({
  requestId: 'cold-start-probe',
  functionName: process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'bench',
  deadline: Date.now() + 10_000,
});

const start = performance.now();
const module = bundle.endsWith('.cjs')
  ? createRequire(import.meta.url)(bundle)
  : await import(pathToFileURL(bundle).href);
const imported = performance.now();
const evalStart = globalThis.__benchEvalStart ?? start;
const evalEnd = globalThis.__benchEvalEnd ?? imported;
const result = await module.handler(event, context);
const invoked = performance.now();

// The handler's own logs and EMF also go to stdout; the bench reads the line with this prefix.
process.stdout.write(
  `BENCH_RESULT ${JSON.stringify({
    load: evalStart - start,
    init: evalEnd - evalStart + (imported - evalEnd),
    firstInvoke: invoked - imported,
    total: invoked - start,
    statusCode: result?.statusCode,
  })}\n`,
);
process.exit(0);
