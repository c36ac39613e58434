import { Aws, CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import {
  ENVIRONMENTS,
  LIVE_ALIAS,
  PROMOTIONS_PREFIX,
  regionFor,
  type AppSettings,
  type Environment,
} from '../config.ts';
import { acknowledge, acknowledgeWildcards } from '../nag.ts';
import { customerKey } from '../kms.ts';
import {
  REPLICA_KEY_ALIAS,
  VAULT_RETENTION_DAYS,
  accessLogBucket,
  denyOverwrites,
  lockedBucket,
  replicaBucketName,
} from './vault.ts';

const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';
/** cdk-nag's rendering of `<vault bucket ARN>/*`. */
const VAULT_OBJECTS = /^Resource::<Vault[0-9A-F]{8}\.Arn>\/\*$/;

export interface SharedStackProps extends StackProps {
  settings: AppSettings;
  /** Function names per environment (from the template), for the deploy roles' resources. */
  functionNames: string[];
  replicaRegion: string;
}

/** The vault's copy in the DR region, which DR's functions take their code from. */
export class VaultReplicaStack extends Stack {
  constructor(scope: Construct, id: string, props: StackProps & { settings: AppSettings }) {
    super(scope, id, props);
    const key = customerKey(this, 'ReplicaKey', 'Encrypts the replica of the release vault.');
    key.addAlias(REPLICA_KEY_ALIAS);
    const logs = accessLogBucket(this, 'AccessLogs');
    const replica = lockedBucket(this, 'VaultReplica', {
      bucketName: replicaBucketName(props.settings.vaultBucketName, this.region),
      encryptionKey: key,
      retentionDays: VAULT_RETENTION_DAYS,
      accessLogs: logs,
      accessLogPrefix: 'vault-replica/',
    });
    acknowledge(replica, {
      'NIST.800.53.R5-S3BucketReplicationEnabled':
        'This bucket is itself the cross-region replica of the vault; replicating the replica adds no copy in a new failure domain.',
    });
    new CfnOutput(this, 'ReplicaBucketName', { value: replica.bucketName });
  }
}

/**
 * The release vault (artifacts account, us-east-1), its access-log bucket, the roles that publish to and read
 * from it, and one GitHub OIDC deploy role per environment.
 */
export class SharedStack extends Stack {
  readonly vault: s3.Bucket;
  readonly deployRoles: Record<Environment, iam.Role>;

  constructor(scope: Construct, id: string, props: SharedStackProps) {
    super(scope, id, props);
    const { settings } = props;
    const key = customerKey(
      this,
      'VaultKey',
      'Encrypts the release vault (function zips, manifests, promotion records).',
    );
    const logs = accessLogBucket(this, 'AccessLogs');
    this.vault = lockedBucket(this, 'Vault', {
      bucketName: settings.vaultBucketName,
      encryptionKey: key,
      retentionDays: VAULT_RETENTION_DAYS,
      accessLogs: logs,
      accessLogPrefix: 'vault/',
    });
    denyOverwrites(this.vault);
    this.replicate(key, props.replicaRegion, settings.vaultBucketName);

    const provider = this.githubProvider();
    const trust = (env: Environment) =>
      new iam.OpenIdConnectPrincipal(provider, {
        StringEquals: {
          [`${GITHUB_OIDC_HOST}:aud`]: 'sts.amazonaws.com',
          [`${GITHUB_OIDC_HOST}:sub`]: `repo:${settings.githubRepository}:environment:${env}`,
        },
      });

    // The publisher runs in the `dev` environment job of main.yml (build once, vault upload).
    const publish = new iam.Role(this, 'VaultPublishRole', {
      roleName: 'pricing-vault-publish',
      description:
        'GitHub Actions (environment dev) uploads new versions to the vault; create-only, never overwrite.',
      assumedBy: trust('dev'),
      maxSessionDuration: Duration.hours(1),
    });
    const publishPolicy = new iam.ManagedPolicy(this, 'VaultPublishPolicy', {
      roles: [publish],
      statements: [
        this.listVault(),
        new iam.PolicyStatement({
          sid: 'CreateVersionObjects',
          // GetObject answers the tools' HeadObject "does this version exist?" check before uploading.
          actions: ['s3:PutObject', 's3:GetObject'],
          resources: [this.vault.arnForObjects('*')],
        }),
        new iam.PolicyStatement({
          sid: 'EncryptWithVaultKey',
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: [key.keyArn],
        }),
      ],
    });
    acknowledgeWildcards(
      publishPolicy,
      [VAULT_OBJECTS],
      'Versions are new prefixes (v1.2.3/...) unknown in advance; the bucket policy refuses any PutObject without If-None-Match and every delete, so the object wildcard cannot overwrite or remove evidence.',
    );

    const read = new iam.Role(this, 'VaultReadRole', {
      roleName: 'pricing-vault-read',
      description: 'Read-only access to the vault for SREs and auditors (vault:status, release:notes).',
      assumedBy: new iam.AccountRootPrincipal(),
      maxSessionDuration: Duration.hours(1),
    });
    const readPolicy = new iam.ManagedPolicy(this, 'VaultReadPolicy', {
      roles: [read],
      statements: [this.listVault(), this.readVault(), this.decryptVault(key)],
    });
    acknowledgeWildcards(
      readPolicy,
      [VAULT_OBJECTS],
      'Readers must see every version and promotion record, whose keys are created by each release; reading is all this role can do.',
    );

    this.deployRoles = {} as Record<Environment, iam.Role>;
    for (const env of ENVIRONMENTS) {
      const region = regionFor(env);
      const account = settings.accountFor(env);
      const functionArns = props.functionNames.flatMap((name) => {
        const arn = `arn:${Aws.PARTITION}:lambda:${region}:${account}:function:${name}-${env}`;
        return [arn, `${arn}:*`];
      });
      // What serves traffic: the alias API Gateway invokes, and the unqualified name ($LATEST).
      const servingArns = props.functionNames.flatMap((name) => {
        const arn = `arn:${Aws.PARTITION}:lambda:${region}:${account}:function:${name}-${env}`;
        return [arn, `${arn}:${LIVE_ALIAS}`, `${arn}:$LATEST`];
      });
      const role = new iam.Role(this, `DeployRole-${env}`, {
        roleName: `pricing-deploy-${env}`,
        description: `GitHub Actions (environment ${env}) deploys verified vault versions to the ${env} functions.`,
        assumedBy: trust(env),
        maxSessionDuration: Duration.hours(1),
      });
      const statements = [
        new iam.PolicyStatement({
          sid: 'DeployStageFunctions',
          actions: [
            'lambda:GetFunction',
            'lambda:GetFunctionConfiguration',
            'lambda:UpdateFunctionCode',
            'lambda:PublishVersion',
            'lambda:GetAlias',
            'lambda:CreateAlias',
            'lambda:UpdateAlias',
            // A failed first deployment removes the alias it created (docs/release.md, rollback).
            'lambda:DeleteAlias',
            'lambda:InvokeFunction',
          ],
          resources: functionArns,
        }),
        new iam.PolicyStatement({
          // The smoke test invokes the new version by its number. A direct invoke can carry any
          // requestContext.authorizer, so this role never invokes what serves traffic; the functions also
          // refuse a caller outside the API alias (API_ALIAS, docs/auth.md).
          sid: 'NeverInvokeWhatServesTraffic',
          effect: iam.Effect.DENY,
          actions: ['lambda:InvokeFunction'],
          resources: servingArns,
        }),
        this.listVault(),
        new iam.PolicyStatement({
          sid: 'ReadVault',
          actions: ['s3:GetObject', 's3:GetObjectVersion'],
          resources: [this.vault.arnForObjects('*')],
        }),
        new iam.PolicyStatement({
          sid: 'WriteOwnPromotionRecords',
          // Records are `<version>/promotions/<env>-<time>.json`: this role can only write its own env's.
          actions: ['s3:PutObject'],
          resources: [this.vault.arnForObjects(`*/${PROMOTIONS_PREFIX}${env}-*`)],
        }),
        new iam.PolicyStatement({
          sid: 'UseVaultKey',
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: [key.keyArn],
        }),
      ];
      if (env === 'prod') {
        statements.push(
          new iam.PolicyStatement({
            sid: 'CanaryThroughCodeDeploy',
            actions: [
              'codedeploy:CreateDeployment',
              'codedeploy:GetDeployment',
              'codedeploy:GetDeploymentConfig',
              'codedeploy:GetApplicationRevision',
              'codedeploy:RegisterApplicationRevision',
              'codedeploy:StopDeployment',
            ],
            resources: [
              `arn:${Aws.PARTITION}:codedeploy:${region}:${account}:application:pricing-${env}`,
              `arn:${Aws.PARTITION}:codedeploy:${region}:${account}:deploymentgroup:pricing-${env}/*`,
              `arn:${Aws.PARTITION}:codedeploy:${region}:${account}:deploymentconfig:CodeDeployDefault.LambdaCanary10Percent5Minutes`,
            ],
          }),
        );
      }
      // `npm run stack:deploy -- --env <env>` (behind the same environment gate): change sets on this stage's
      // stack only, the template uploaded to the CDK bootstrap bucket, and CloudFormation acting as the
      // bootstrap's execution role, so this role never holds the stack's own resource permissions.
      const bootstrap = `hnb659fds`;
      statements.push(
        new iam.PolicyStatement({
          sid: 'DeployOwnStack',
          actions: [
            'cloudformation:CreateChangeSet',
            'cloudformation:DescribeChangeSet',
            'cloudformation:ExecuteChangeSet',
            'cloudformation:DeleteChangeSet',
            'cloudformation:DescribeStacks',
            'cloudformation:DescribeStackEvents',
          ],
          resources: [`arn:${Aws.PARTITION}:cloudformation:${region}:${account}:stack/pricing-${env}/*`],
        }),
        new iam.PolicyStatement({
          sid: 'UploadStackTemplate',
          actions: ['s3:PutObject'],
          resources: [`arn:${Aws.PARTITION}:s3:::cdk-${bootstrap}-assets-${account}-${region}/*`],
        }),
        new iam.PolicyStatement({
          sid: 'PassBootstrapExecutionRole',
          actions: ['iam:PassRole'],
          resources: [
            `arn:${Aws.PARTITION}:iam::${account}:role/cdk-${bootstrap}-cfn-exec-role-${account}-${region}`,
          ],
          conditions: { StringEquals: { 'iam:PassedToService': 'cloudformation.amazonaws.com' } },
        }),
      );
      const deployPolicy = new iam.ManagedPolicy(this, `DeployPolicy-${env}`, { roles: [role], statements });
      acknowledgeWildcards(
        deployPolicy,
        [
          VAULT_OBJECTS,
          new RegExp(`:function:[a-z0-9-]+-${env}:\\*$`),
          new RegExp(`\\.Arn>/\\*/promotions/${env}-\\*$`),
          new RegExp(`:deploymentgroup:pricing-${env}/\\*$`),
          new RegExp(`:stack/pricing-${env}/\\*$`),
          new RegExp(`:cdk-hnb659fds-assets-\\d+-[a-z0-9-]+/\\*$`),
        ],
        "Wildcards are limited to: published versions and aliases of this stage's own functions (version numbers are unknown in advance), vault objects under new version prefixes (read only), this environment's own promotion records (`*/promotions/<env>-*`), in prod the deployment groups of this stage's CodeDeploy application, this stage's own stack (its id suffix is CloudFormation's), and stack templates in the CDK bootstrap bucket (content-addressed keys); deletes are denied by the bucket policy.",
      );
      this.deployRoles[env] = role;
      new CfnOutput(this, `DeployRoleArn-${env}`, { value: role.roleArn });
    }

    new CfnOutput(this, 'VaultBucketName', { value: this.vault.bucketName });
    new CfnOutput(this, 'VaultPublishRoleArn', { value: publish.roleArn });
    new CfnOutput(this, 'VaultReadRoleArn', { value: read.roleArn });
  }

  private listVault(): iam.PolicyStatement {
    return new iam.PolicyStatement({
      sid: 'ListVault',
      actions: ['s3:ListBucket'],
      resources: [this.vault.bucketArn],
    });
  }

  private readVault(): iam.PolicyStatement {
    return new iam.PolicyStatement({
      sid: 'ReadVault',
      actions: ['s3:GetObject', 's3:GetObjectVersion'],
      resources: [this.vault.arnForObjects('*')],
    });
  }

  private decryptVault(key: kms.IKey): iam.PolicyStatement {
    return new iam.PolicyStatement({
      sid: 'DecryptVault',
      actions: ['kms:Decrypt'],
      resources: [key.keyArn],
    });
  }

  private githubProvider(): iam.IOpenIdConnectProvider {
    const existing: unknown = this.node.tryGetContext('githubOidcProviderArn');
    if (typeof existing === 'string' && existing) {
      return iam.OpenIdConnectProvider.fromOpenIdConnectProviderArn(this, 'GitHubOidc', existing);
    }
    // The native resource (no custom-resource Lambda, so no file asset). One per account.
    const provider = new iam.CfnOIDCProvider(this, 'GitHubOidcProvider', {
      url: `https://${GITHUB_OIDC_HOST}`,
      clientIdList: ['sts.amazonaws.com'],
    });
    return iam.OpenIdConnectProvider.fromOpenIdConnectProviderArn(this, 'GitHubOidc', provider.attrArn);
  }

  /** Same-account replication of every vault object, with its lock, to the replica bucket in the DR region. */
  private replicate(key: kms.IKey, replicaRegion: string, vaultName: string): void {
    const destination = `arn:${Aws.PARTITION}:s3:::${replicaBucketName(vaultName, replicaRegion)}`;
    const role = new iam.Role(this, 'ReplicationRole', {
      assumedBy: new iam.ServicePrincipal('s3.amazonaws.com'),
      description: 'S3 replicates the vault to its locked replica in the DR region.',
    });
    const replicationPolicy = new iam.ManagedPolicy(this, 'ReplicationPolicy', {
      roles: [role],
      statements: [
        new iam.PolicyStatement({
          actions: ['s3:GetReplicationConfiguration', 's3:ListBucket'],
          resources: [this.vault.bucketArn],
        }),
        new iam.PolicyStatement({
          actions: [
            's3:GetObjectVersionForReplication',
            's3:GetObjectVersionAcl',
            's3:GetObjectVersionTagging',
            's3:GetObjectRetention',
            's3:GetObjectLegalHold',
          ],
          resources: [this.vault.arnForObjects('*')],
        }),
        new iam.PolicyStatement({
          actions: ['s3:ReplicateObject', 's3:ReplicateTags'],
          resources: [`${destination}/*`],
        }),
        new iam.PolicyStatement({
          actions: ['kms:Decrypt'],
          resources: [key.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `s3.${this.region}.amazonaws.com` } },
        }),
        new iam.PolicyStatement({
          actions: ['kms:Encrypt'],
          resources: [`arn:${Aws.PARTITION}:kms:${replicaRegion}:${Aws.ACCOUNT_ID}:key/*`],
          conditions: {
            StringEquals: { 'kms:ViaService': `s3.${replicaRegion}.amazonaws.com` },
            'ForAnyValue:StringEquals': { 'kms:ResourceAliases': REPLICA_KEY_ALIAS },
          },
        }),
      ],
    });
    acknowledgeWildcards(
      replicationPolicy,
      [
        VAULT_OBJECTS,
        new RegExp(`:s3:::${replicaBucketName(vaultName, replicaRegion)}/\\*$`),
        /:kms:[a-z0-9-]+:<AWS::AccountId>:key\/\*$/,
      ],
      'Replication reads every object version of the vault and writes every one into the replica bucket; the replica key lives in another region and stack, so it is selected by its alias (kms:ResourceAliases condition) rather than by id.',
    );
    const cfn = this.vault.node.defaultChild as s3.CfnBucket;
    cfn.replicationConfiguration = {
      role: role.roleArn,
      rules: [
        {
          id: 'vault-to-dr-region',
          status: 'Enabled',
          priority: 1,
          filter: { prefix: '' },
          deleteMarkerReplication: { status: 'Disabled' },
          sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: 'Enabled' } },
          destination: {
            bucket: destination,
            encryptionConfiguration: {
              replicaKmsKeyId: `arn:${Aws.PARTITION}:kms:${replicaRegion}:${Aws.ACCOUNT_ID}:${REPLICA_KEY_ALIAS}`,
            },
          },
        },
      ],
    };
  }
}
