import { Aws, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';

/**
 * Key administration and use by the account's own IAM principals, listed action by action: the account root
 * statement only delegates to IAM (who may use the key is then decided by IAM policies), and the key policy
 * carries no `kms:*`, so no statement anywhere allows a wildcard action.
 */
const ACCOUNT_ACTIONS = [
  'kms:DescribeKey',
  'kms:GetKeyPolicy',
  'kms:PutKeyPolicy',
  'kms:GetKeyRotationStatus',
  'kms:EnableKeyRotation',
  'kms:ListResourceTags',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:UpdateKeyDescription',
  'kms:EnableKey',
  'kms:DisableKey',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
  'kms:CreateAlias',
  'kms:UpdateAlias',
  'kms:DeleteAlias',
  'kms:CreateGrant',
  'kms:ListGrants',
  'kms:RevokeGrant',
  'kms:RetireGrant',
  'kms:Encrypt',
  'kms:Decrypt',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
];

export interface ServiceUse {
  /** e.g. `logs.us-east-1.amazonaws.com`. */
  service: string;
  actions: string[];
  conditions?: Record<string, Record<string, unknown>>;
}

/** A customer-managed key with rotation on, retained on stack deletion, and a hand-written key policy. */
export const customerKey = (
  scope: Construct,
  id: string,
  description: string,
  services: ServiceUse[] = [],
): kms.Key => {
  const policy = new iam.PolicyDocument({
    statements: [
      new iam.PolicyStatement({
        sid: 'AccountAdministersAndDelegatesToIam',
        principals: [new iam.AccountRootPrincipal()],
        actions: ACCOUNT_ACTIONS,
        resources: ['*'],
      }),
      ...services.map(
        (use) =>
          new iam.PolicyStatement({
            principals: [new iam.ServicePrincipal(use.service)],
            actions: use.actions,
            resources: ['*'],
            conditions: use.conditions ?? { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
          }),
      ),
    ],
  });
  return new kms.Key(scope, id, {
    description,
    enableKeyRotation: true,
    policy,
    removalPolicy: RemovalPolicy.RETAIN,
  });
};

/** CloudWatch Logs may use the key for the log groups of this account and region only. */
export const logsUse = (region: string): ServiceUse => ({
  service: `logs.${region}.amazonaws.com`,
  actions: [
    'kms:Encrypt',
    'kms:Decrypt',
    'kms:ReEncryptFrom',
    'kms:ReEncryptTo',
    'kms:GenerateDataKey',
    'kms:DescribeKey',
  ],
  conditions: {
    ArnLike: {
      'kms:EncryptionContext:aws:logs:arn': `arn:${Aws.PARTITION}:logs:${region}:${Aws.ACCOUNT_ID}:log-group:*`,
    },
  },
});
