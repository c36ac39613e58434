import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { GRADUAL_ENVIRONMENTS, regionFor, type Environment } from './constants.ts';
import { AwsLambdaTarget } from './deploy-targets/aws-lambda.ts';
import { LocalTarget } from './deploy-targets/local.ts';
import type { DeployTarget } from './deploy-targets/target.ts';

/** The deploy target for an environment: real Lambda in its region, or the local folder target. */
export function createTarget(
  kind: 'aws' | 'local',
  env: Environment,
  localRoot = '.local/release',
): DeployTarget {
  if (kind === 'local') return new LocalTarget({ root: localRoot });
  const region = regionFor(env);
  return new AwsLambdaTarget({
    lambda: new LambdaClient({ region }),
    // The vault bucket lives in the primary region; Lambda can only pull code from a bucket in its own region.
    codeSource: env === 'dr' ? 'bytes' : 's3',
    ...(GRADUAL_ENVIRONMENTS.includes(env) ? { codeDeploy: new CodeDeployClient({ region }) } : {}),
  });
}
