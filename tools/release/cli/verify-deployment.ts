import { LambdaClient } from '@aws-sdk/client-lambda';
import { parseArgs } from 'node:util';
import { ENVIRONMENTS, LIVE_ALIAS, regionFor, type Environment } from '../constants.ts';
import { info, out, runCli } from '../cli-support.ts';
import { invokeHealthCheck } from '../deploy-targets/aws-lambda.ts';
import { UsageError } from '../errors.ts';

// npm run verify -- <function>-<env> [--qualifier live]
// Read-only (a health-check invoke and nothing else), so it is safe to run against PROD at any time.
runCli(async () => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { qualifier: { type: 'string', default: LIVE_ALIAS }, region: { type: 'string' } },
  });
  const functionName = positionals[0];
  if (!functionName) throw new UsageError('usage: npm run verify -- <function>-<env>');
  const env = functionName.slice(functionName.lastIndexOf('-') + 1);
  if (!values.region && !(ENVIRONMENTS as readonly string[]).includes(env)) {
    throw new UsageError(
      `cannot tell the environment of "${functionName}"; name it <function>-<env> or pass --region`,
    );
  }
  const region = values.region ?? regionFor(env as Environment);
  const result = await invokeHealthCheck(
    new LambdaClient({ region }),
    functionName,
    values.qualifier || undefined,
  );
  if (!result.ok) {
    info(`error: ${functionName}:${values.qualifier} is unhealthy: ${result.detail}`);
    return 1;
  }
  out(`${functionName}:${values.qualifier} healthy (${result.detail})`);
});
