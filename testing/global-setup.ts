import { execFileSync } from 'node:child_process';
import { startLocalDynamo } from '#infra-local/lite/stores.ts';
import { SHARED_DYNAMODB_ENV } from './test-stores.ts';
import { setSharedDynamo } from './shared-dynamo.ts';

/**
 * Before the suites: builds dist/ once (bundle and contract tests run against the real build output) and
 * starts the run's one DynamoDB Local (in memory, on a free port; each test file creates tables of its
 * own), whose endpoint the test files read from PRICING_TEST_DYNAMODB_ENDPOINT.
 */
export default async function globalSetup(): Promise<void> {
  const [dynamo] = await Promise.all([
    startLocalDynamo(),
    Promise.resolve().then(() =>
      execFileSync(process.execPath, ['esbuild.config.js'], { stdio: ['ignore', 'ignore', 'inherit'] }),
    ),
  ]);
  process.env[SHARED_DYNAMODB_ENV] = dynamo.endpoint;
  setSharedDynamo(dynamo);
}
