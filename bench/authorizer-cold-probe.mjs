// One authorizer cold start, in a fresh process: import the bundle (module load + init, which awaits the key
// set fetch), then verify one token. Usage: node bench/authorizer-cold-probe.mjs <bundle> <token>
import { pathToFileURL } from 'node:url';
import { createLambdaContext } from '#infra-local/lite/lambda-context.mjs';

const [bundle, token] = process.argv.slice(2);
const context = createLambdaContext({
  requestId: 'authorizer-cold-probe',
  functionName: 'bench',
  deadline: Date.now() + 10_000,
});
const start = performance.now();
const module = await import(pathToFileURL(bundle).href);
await module.ready;
const imported = performance.now();
const result = await module.handler(
  {
    type: 'TOKEN',
    authorizationToken: `Bearer ${token}`,
    methodArn: 'arn:aws:execute-api:us-east-1:123456789012:1234567890/Prod/GET/price',
  },
  context,
);
const invoked = performance.now();
process.stdout.write(
  `BENCH_RESULT ${JSON.stringify({ init: imported - start, firstInvoke: invoked - imported, total: invoked - start, principalId: result?.principalId })}\n`,
);
process.exit(0);
