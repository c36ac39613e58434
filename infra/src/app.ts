import { App, type AppProps } from 'aws-cdk-lib';
import { DR_REGION, ENVIRONMENTS, PRIMARY_REGION, readSettings, type Environment } from './config.ts';
import { addNagPacks } from './nag.ts';
import { ServiceStack } from './stacks/service-stack.ts';
import { SharedStack, VaultReplicaStack } from './stacks/shared-stack.ts';
import { replicaBucketName } from './stacks/vault.ts';
import { readTemplate, TEMPLATE_PATH } from './template.ts';

export const stageStackName = (env: Environment): string => `pricing-${env}`;
export const SHARED_STACK_NAME = 'pricing-shared';
export const REPLICA_STACK_NAME = 'pricing-shared-replica';

export interface PricingApp {
  app: App;
  shared: SharedStack;
  replica: VaultReplicaStack;
  stages: Record<Environment, ServiceStack>;
}

/** Feature flags this app relies on (the CLI would read them from cdk.json; we set them in code). */
export const FEATURE_FLAGS: Record<string, unknown> = {
  // Server access logs are delivered through a bucket policy to logging.s3.amazonaws.com, not a legacy ACL.
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
};

/** Builds every stack (nothing is synthesized yet): shared, its replica in the DR region, one per stage. */
export const buildApp = (props: AppProps = {}, templatePath: string = TEMPLATE_PATH): PricingApp => {
  const app = new App({ ...props, context: { ...FEATURE_FLAGS, ...props.context } });
  addNagPacks(app);
  const settings = readSettings(app);
  const template = readTemplate(templatePath);

  const replica = new VaultReplicaStack(app, REPLICA_STACK_NAME, {
    env: { account: settings.sharedAccount, region: DR_REGION },
    description: 'Pricing service: locked replica of the release vault in the DR region.',
    settings,
  });
  const shared = new SharedStack(app, SHARED_STACK_NAME, {
    env: { account: settings.sharedAccount, region: PRIMARY_REGION },
    description:
      'Pricing service: release vault, its access logs, and the GitHub OIDC publish/read/deploy roles.',
    settings,
    functionNames: template.functions.map((f) => f.name),
    replicaRegion: DR_REGION,
  });
  // Replication needs its destination first; no values cross regions, only the deploy order.
  shared.addStackDependency(replica);

  const stages = {} as Record<Environment, ServiceStack>;
  for (const env of ENVIRONMENTS) {
    const stage = settings.stage(env);
    stages[env] = new ServiceStack(app, stageStackName(env), {
      env: { account: stage.account, region: stage.region },
      description: `Pricing service, stage ${env}: API, functions, audit and config tables, audit archive, alarms.`,
      settings: stage,
      template,
      version: settings.version,
      codeBucketName:
        stage.region === PRIMARY_REGION
          ? settings.vaultBucketName
          : replicaBucketName(settings.vaultBucketName, stage.region),
      terminationProtection: env === 'prod' || env === 'dr',
    });
  }
  return { app, shared, replica, stages };
};
