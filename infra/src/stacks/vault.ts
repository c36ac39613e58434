import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { acknowledge } from '../nag.ts';

/** Artifacts in the vault are release evidence: the handbook keeps them seven years (docs/release.md). */
export const VAULT_RETENTION_DAYS = 2555;

/** The vault's replica in another region (Lambda reads code only from a bucket in its own region). */
export const replicaBucketName = (vaultBucketName: string, region: string): string =>
  `${vaultBucketName}-${region}`;
export const REPLICA_KEY_ALIAS = 'alias/pricing-vault-replica';

/** A bucket that only receives S3 server access logs; such logs can only be delivered to SSE-S3 buckets. */
export const accessLogBucket = (scope: Construct, id: string): s3.Bucket => {
  const bucket = new s3.Bucket(scope, id, {
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    versioned: true,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    lifecycleRules: [{ expiration: Duration.days(400), noncurrentVersionExpiration: Duration.days(30) }],
    removalPolicy: RemovalPolicy.RETAIN,
  });
  acknowledge(bucket, {
    'AwsSolutions-S1':
      'This bucket is the destination of the S3 server access logs; logging it into itself would loop and another log bucket would only move the question.',
    'NIST.800.53.R5-S3BucketLoggingEnabled':
      'This bucket is the destination of the S3 server access logs; logging it into itself would loop.',
    'NIST.800.53.R5-S3DefaultEncryptionKMS':
      'S3 server access logs are delivered only to buckets encrypted with SSE-S3 (AES-256), not SSE-KMS.',
    'NIST.800.53.R5-S3BucketReplicationEnabled':
      'Access logs are diagnostics kept 400 days; the evidence they support (vault, archive) is itself locked and replicated or retained.',
  });
  return bucket;
};

/**
 * The policy every immutable bucket carries: nothing is ever deleted and the lock cannot be weakened, by
 * anyone (Deny beats every Allow, including the account's administrators).
 */
export const denyDeletesAndWeakening = (bucket: s3.IBucket): void => {
  bucket.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'NoDeletesEver',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: [
        's3:DeleteObject*',
        's3:PutLifecycleConfiguration',
        's3:PutBucketVersioning',
        's3:PutBucketObjectLockConfiguration',
        's3:BypassGovernanceRetention',
        's3:DeleteBucket',
      ],
      resources: [bucket.bucketArn, bucket.arnForObjects('*')],
    }),
  );
};

/**
 * Every object is created once: a PutObject without `If-None-Match` is refused (condition key
 * `s3:if-none-match`, AWS's conditional-write enforcement of 2024), so nothing can overwrite a version's zip,
 * manifest or promotion record. Multipart parts carry no such header, so multipart uploads are refused too;
 * the vault tools upload single objects.
 */
export const denyOverwrites = (bucket: s3.IBucket): void => {
  bucket.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'CreateOnlyWithIfNoneMatch',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:PutObject'],
      resources: [bucket.arnForObjects('*')],
      conditions: { Null: { 's3:if-none-match': 'true' } },
    }),
  );
};

export interface LockedBucketProps {
  bucketName?: string;
  encryptionKey: kms.IKey;
  retentionDays: number;
  accessLogs: s3.IBucket;
  accessLogPrefix: string;
}

/** Versioned, Object Lock in COMPLIANCE mode, SSE-KMS, no public access, TLS only, access-logged. */
export const lockedBucket = (scope: Construct, id: string, props: LockedBucketProps): s3.Bucket => {
  const bucket = new s3.Bucket(scope, id, {
    ...(props.bucketName ? { bucketName: props.bucketName } : {}),
    versioned: true,
    objectLockEnabled: true,
    objectLockDefaultRetention: s3.ObjectLockRetention.compliance(Duration.days(props.retentionDays)),
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: props.encryptionKey,
    bucketKeyEnabled: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    enforceSSL: true,
    serverAccessLogsBucket: props.accessLogs,
    serverAccessLogsPrefix: props.accessLogPrefix,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  denyDeletesAndWeakening(bucket);
  return bucket;
};
