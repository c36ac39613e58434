import { takeSharedDynamo } from './shared-dynamo.ts';

/** After the suites: kills the run's DynamoDB Local (SIGKILL; it also dies with the Jest process). */
export default async function globalTeardown(): Promise<void> {
  await takeSharedDynamo()?.close();
}
