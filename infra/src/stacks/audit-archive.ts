import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as pipes from 'aws-cdk-lib/aws-pipes';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { Environment } from '../config.ts';
import { acknowledge, acknowledgeWildcards } from '../nag.ts';
import { lockedBucket } from './vault.ts';

export interface AuditArchiveProps {
  env: Environment;
  table: dynamodb.ITable;
  key: kms.IKey;
  retentionDays: number;
  logRetentionDays: number;
  accessLogs: s3.IBucket;
}

/**
 * DynamoDB stream → EventBridge Pipe → Firehose → S3 with Object Lock (COMPLIANCE, the stage's audit
 * retention). TTL bounds the cost of the hot table; the archive is the evidence, and TTL never reaches it.
 *
 * Why a Pipe and not a Lambda: there is no code to build, test, patch or keep on a supported runtime; the
 * filter (INSERT only) is declarative, so the REMOVE records that TTL expiry puts on the stream never reach
 * the archive; batching, per-shard ordering and retries are the service's. Audit items are written once
 * (`attribute_not_exists`, and the functions are denied UpdateItem), so INSERT is every event that matters.
 */
export class AuditArchive extends Construct {
  readonly bucket: s3.Bucket;
  readonly deliveryStream: firehose.CfnDeliveryStream;
  readonly pipe: pipes.CfnPipe;

  constructor(scope: Construct, id: string, props: AuditArchiveProps) {
    super(scope, id);
    const { env, table, key } = props;
    if (!table.tableStreamArn) throw new Error('the audit table needs a stream for the archive');

    this.bucket = lockedBucket(this, 'Bucket', {
      encryptionKey: key,
      retentionDays: props.retentionDays,
      accessLogs: props.accessLogs,
      accessLogPrefix: 'audit-archive/',
    });
    this.bucket.addLifecycleRule({
      id: 'cold-after-90-days',
      transitions:
        props.retentionDays > 270
          ? [{ storageClass: s3.StorageClass.DEEP_ARCHIVE, transitionAfter: Duration.days(90) }]
          : [],
      // Object Lock keeps every version until its retention ends; expiry only tidies up after that.
      expiration: Duration.days(props.retentionDays + 30),
    });
    acknowledge(this.bucket, {
      'NIST.800.53.R5-S3BucketReplicationEnabled':
        'Not built yet: cross-region replication of the archive to a locked bucket in the DR region is designed (docs/compliance.md) but needs the replica bucket and key there first; point-in-time recovery and AWS Backup of the table are the second copy meanwhile.',
    });

    const deliveryLogs = new logs.LogGroup(this, 'DeliveryLogs', {
      logGroupName: `/aws/kinesisfirehose/pricing-audit-archive-${env}`,
      retention: props.logRetentionDays,
      encryptionKey: key,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const deliveryLogStream = new logs.LogStream(this, 'DeliveryLogStream', {
      logGroup: deliveryLogs,
      logStreamName: 'S3Delivery',
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const firehoseRole = new iam.Role(this, 'FirehoseRole', {
      assumedBy: new iam.ServicePrincipal('firehose.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
      description: 'Firehose writes audit records into the locked archive bucket.',
    });
    const firehosePolicy = new iam.ManagedPolicy(this, 'FirehosePolicy', {
      roles: [firehoseRole],
      statements: [
        new iam.PolicyStatement({
          actions: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
          resources: [this.bucket.bucketArn],
        }),
        new iam.PolicyStatement({
          actions: ['s3:PutObject', 's3:AbortMultipartUpload'],
          resources: [this.bucket.arnForObjects('*')],
        }),
        new iam.PolicyStatement({ actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [key.keyArn] }),
        new iam.PolicyStatement({
          actions: ['logs:PutLogEvents'],
          resources: [
            `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:${deliveryLogs.logGroupName}:log-stream:${deliveryLogStream.logStreamName}`,
          ],
        }),
      ],
    });
    acknowledgeWildcards(
      firehosePolicy,
      [/^Resource::<AuditArchiveBucket[0-9A-F]{8}\.Arn>\/\*$/],
      'Firehose names each archive object itself (audit/stage=<stage>/dt=<day>/...); the role may only put objects, which Object Lock and the deny-delete bucket policy make permanent.',
    );

    this.deliveryStream = new firehose.CfnDeliveryStream(this, 'DeliveryStream', {
      deliveryStreamName: `pricing-audit-archive-${env}`,
      deliveryStreamType: 'DirectPut',
      deliveryStreamEncryptionConfigurationInput: { keyType: 'CUSTOMER_MANAGED_CMK', keyArn: key.keyArn },
      extendedS3DestinationConfiguration: {
        bucketArn: this.bucket.bucketArn,
        roleArn: firehoseRole.roleArn,
        prefix: `audit/stage=${env}/dt=!{timestamp:yyyy-MM-dd}/`,
        errorOutputPrefix: `errors/stage=${env}/!{firehose:error-output-type}/dt=!{timestamp:yyyy-MM-dd}/`,
        bufferingHints: { intervalInSeconds: 60, sizeInMBs: 5 },
        compressionFormat: 'GZIP',
        encryptionConfiguration: { kmsEncryptionConfig: { awskmsKeyArn: key.keyArn } },
        cloudWatchLoggingOptions: {
          enabled: true,
          logGroupName: deliveryLogs.logGroupName,
          logStreamName: deliveryLogStream.logStreamName,
        },
      },
    });
    this.deliveryStream.node.addDependency(firehoseRole);

    const pipeLogs = new logs.LogGroup(this, 'PipeLogs', {
      logGroupName: `/aws/vendedlogs/pipes/pricing-audit-archive-${env}`,
      retention: props.logRetentionDays,
      encryptionKey: key,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const pipeRole = new iam.Role(this, 'PipeRole', {
      assumedBy: new iam.ServicePrincipal('pipes.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
      description: 'The pipe reads the audit table stream and forwards new items to Firehose.',
    });
    new iam.ManagedPolicy(this, 'PipePolicy', {
      roles: [pipeRole],
      statements: [
        new iam.PolicyStatement({
          actions: [
            'dynamodb:DescribeStream',
            'dynamodb:GetRecords',
            'dynamodb:GetShardIterator',
            'dynamodb:ListStreams',
          ],
          resources: [table.tableStreamArn],
        }),
        new iam.PolicyStatement({
          actions: ['firehose:PutRecord', 'firehose:PutRecordBatch'],
          resources: [this.deliveryStream.attrArn],
        }),
        new iam.PolicyStatement({ actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [key.keyArn] }),
        new iam.PolicyStatement({
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [pipeLogs.logGroupArn],
        }),
      ],
    });

    this.pipe = new pipes.CfnPipe(this, 'Pipe', {
      name: `pricing-audit-archive-${env}`,
      description: 'Audit table INSERTs to the archive (TTL REMOVE records are filtered out).',
      roleArn: pipeRole.roleArn,
      source: table.tableStreamArn,
      sourceParameters: {
        dynamoDbStreamParameters: {
          startingPosition: 'TRIM_HORIZON',
          batchSize: 100,
          maximumBatchingWindowInSeconds: 5,
          // Retry until the record leaves the stream (24 h): an archive outage must not skip evidence.
          maximumRetryAttempts: -1,
        },
        filterCriteria: { filters: [{ pattern: JSON.stringify({ eventName: ['INSERT'] }) }] },
      },
      target: this.deliveryStream.attrArn,
      logConfiguration: {
        level: 'ERROR',
        cloudwatchLogsLogDestination: { logGroupArn: pipeLogs.logGroupArn },
      },
    });
    this.pipe.node.addDependency(pipeRole);
  }
}
