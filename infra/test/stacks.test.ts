import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Match } from 'aws-cdk-lib/assertions';
import {
  AUDIT_INDEX,
  AUDIT_RETENTION_DAYS,
  ENVIRONMENTS,
  LOG_RETENTION_DAYS,
  METRICS_NAMESPACE,
  regionFor,
  STAGE_LIMITS,
} from '../src/config.ts';
import { LOCAL_ONLY_VARIABLES } from '../src/environment.ts';
import {
  AUDIT_DENIED_ACTIONS,
  CONFIG_OWNER_ACTIONS,
  CONFIG_READER_ACTIONS,
} from '../src/stacks/service-stack.ts';
import { EMF_COUNTS } from '../src/stacks/dashboard.ts';
import { VAULT_RETENTION_DAYS } from '../src/stacks/vault.ts';
import { allStatements, asArray, resourcesOf, synthesized } from './helpers.ts';

const { stages, shared, replica } = synthesized();
const dev = stages.dev;
const prod = stages.prod;
const everyTemplate = [shared, replica, ...Object.values(stages)];

describe('tables', () => {
  test('the audit table is on-demand, PITR, deletion-protected, KMS (customer key), TTL on expiresAt, with the byResource index and a NEW_IMAGE stream', () => {
    for (const env of ENVIRONMENTS) {
      stages[env].hasResourceProperties('AWS::DynamoDB::Table', {
        TableName: `pricing-audit-${env}`,
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: Match.anyValue() },
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
        GlobalSecondaryIndexes: [
          {
            IndexName: AUDIT_INDEX,
            KeySchema: [
              { AttributeName: 'resource', KeyType: 'HASH' },
              { AttributeName: 'sk', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      });
    }
  });

  test('the config table is PITR, deletion-protected and KMS-encrypted; both tables are retained and backed up', () => {
    dev.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: 'pricing-config-dev',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: Match.anyValue() },
    });
    for (const table of Object.values(dev.findResources('AWS::DynamoDB::Table'))) {
      assert.equal((table as { DeletionPolicy?: string }).DeletionPolicy, 'Retain');
    }
    const [[, selection]] = resourcesOf(dev, 'AWS::Backup::BackupSelection') as [
      [string, Record<string, unknown>],
    ];
    const backedUp = JSON.stringify((selection.BackupSelection as { Resources: unknown[] }).Resources);
    assert.match(backedUp, /AuditTable/);
    assert.match(backedUp, /ConfigTable/);
    dev.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });
});

describe('IAM', () => {
  test('every function that audits is explicitly denied UpdateItem, DeleteItem and BatchWriteItem on the audit table and its index', () => {
    for (const env of ENVIRONMENTS) {
      for (const name of ['PriceFetcherFunctionPolicy', 'ConfigServiceFunctionPolicy']) {
        const [[, props]] = resourcesOf(stages[env], 'AWS::IAM::ManagedPolicy').filter(([id]) =>
          id.startsWith(name),
        ) as [[string, Record<string, unknown>]];
        const statements = (props.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement;
        const deny = statements.find((s) => s.Effect === 'Deny');
        assert.ok(deny, `${env} ${name} has a Deny statement`);
        assert.deepEqual(asArray(deny.Action as string[]).sort(), [...AUDIT_DENIED_ACTIONS].sort());
        const resources = JSON.stringify(deny.Resource);
        assert.match(resources, /AuditTable/);
        assert.match(resources, new RegExp(`/index/${AUDIT_INDEX}`));
        for (const allow of statements.filter((s) => s.Effect === 'Allow')) {
          for (const action of asArray(allow.Action as string[])) {
            assert.ok(!AUDIT_DENIED_ACTIONS.includes(action), `${env} ${name} allows ${action}`);
          }
        }
        // Write once, never read the trail: no Query, and nothing on the index.
        const audit = statements.find((s) => s.Sid === 'AuditWriteOnce')!;
        assert.deepEqual(asArray(audit.Action as string[]).sort(), [
          'dynamodb:DescribeTable',
          'dynamodb:GetItem',
          'dynamodb:PutItem',
        ]);
        assert.doesNotMatch(JSON.stringify(audit.Resource), /\/index\//);
      }
    }
  });

  test('no Allow statement anywhere (IAM, bucket, key or topic policy) has a wildcard action', () => {
    for (const template of everyTemplate) {
      for (const { resource, type, statement } of allStatements(template)) {
        if (statement.Effect !== 'Allow') continue;
        for (const action of asArray(statement.Action as string | string[])) {
          assert.ok(!action.includes('*'), `${type} ${resource} allows ${action}`);
        }
      }
    }
  });

  test('the stacks create no inline IAM policies and attach no grant-everything table rights', () => {
    for (const template of everyTemplate) {
      template.resourceCountIs('AWS::IAM::Policy', 0);
      const text = JSON.stringify(template.toJSON());
      for (const broad of ['dynamodb:BatchWriteItem"', 'dynamodb:*', 's3:*"', 'kms:*']) {
        const allowMentions = allStatements(template).filter(
          (s) =>
            s.statement.Effect === 'Allow' &&
            JSON.stringify(s.statement.Action).includes(broad.replace('"', '')),
        );
        assert.equal(allowMentions.length, 0, `${broad} allowed somewhere in ${text.slice(0, 40)}`);
      }
    }
  });

  test('only price-fetcher reads the Oracle secret, and only that secret; only config-service writes the config table', () => {
    const policies = resourcesOf(prod, 'AWS::IAM::ManagedPolicy');
    const statementsOf = (prefix: string) =>
      (
        policies.find(([id]) => id.startsWith(prefix))?.[1].PolicyDocument as {
          Statement: Record<string, unknown>[];
        }
      ).Statement;
    const secretReads = (prefix: string) =>
      statementsOf(prefix).filter((s) =>
        asArray(s.Action as string[]).includes('secretsmanager:GetSecretValue'),
      );
    const [read] = secretReads('PriceFetcherFunctionPolicy');
    assert.ok(read);
    assert.match((read.Resource as { Ref: string }).Ref, /^OracleSecret/);
    assert.equal(secretReads('ConfigServiceFunctionPolicy').length, 0);
    assert.equal(secretReads('AuthorizerFunctionPolicy').length, 0);
    const configWrites = (prefix: string) => statementsOf(prefix).filter((s) => s.Sid === 'ConfigVersions');
    assert.equal(configWrites('ConfigServiceFunctionPolicy').length, 1);
    assert.equal(configWrites('PriceFetcherFunctionPolicy').length, 0);
    assert.equal(
      statementsOf('AuthorizerFunctionPolicy').filter((s) => JSON.stringify(s.Action).includes('dynamodb'))
        .length,
      0,
    );
  });
});

describe('config table access', () => {
  type Statement = Record<string, unknown>;
  const policyOf = (env: (typeof ENVIRONMENTS)[number], prefix: string): Statement[] =>
    (
      resourcesOf(stages[env], 'AWS::IAM::ManagedPolicy').find(([id]) => id.startsWith(prefix))?.[1]
        .PolicyDocument as { Statement: Statement[] }
    ).Statement;
  const onConfigTable = (statement: Statement) =>
    /"ConfigTable[0-9A-F]*"/.test(JSON.stringify(statement.Resource));

  test('price-fetcher may only Query the config table (no index, no write); config-service keeps its rights', () => {
    assert.deepEqual(CONFIG_READER_ACTIONS, ['dynamodb:Query']);
    for (const env of ENVIRONMENTS) {
      const price = policyOf(env, 'PriceFetcherFunctionPolicy');
      const config = price.filter(onConfigTable);
      assert.equal(config.length, 1, `${env}: one statement of price-fetcher names the config table`);
      const [read] = config as [Statement];
      assert.equal(read.Sid, 'ConfigReadOnly');
      assert.equal(read.Effect, 'Allow');
      assert.deepEqual(asArray(read.Action as string | string[]), ['dynamodb:Query']);
      // The table itself, by its ARN: one resource, no /index/ suffix (Fn::Join) and no wildcard.
      assert.equal(asArray(read.Resource as unknown[]).length, 1);
      assert.deepEqual(Object.keys(read.Resource as Statement), ['Fn::GetAtt']);
      assert.equal((read.Resource as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][1], 'Arn');
      assert.equal(read.Condition, undefined);
      // Nothing else it holds reaches the config table: no DynamoDB action on it but Query, anywhere.
      for (const statement of price.filter((s) => s.Effect === 'Allow' && s !== read)) {
        const dynamo = asArray(statement.Action as string | string[]).filter((a) =>
          a.startsWith('dynamodb:'),
        );
        if (dynamo.length === 0) continue;
        assert.doesNotMatch(
          JSON.stringify(statement.Resource),
          /ConfigTable/,
          `${env} ${String(statement.Sid)}`,
        );
      }
      for (const write of ['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems'])
        assert.ok(
          !config.some((s) => JSON.stringify(s.Action).includes(`dynamodb:${write}`)),
          `${env}: price-fetcher may not ${write} the config table`,
        );
      // It reads an encrypted table: the stage key through DynamoDB only (the audit table's grant).
      const key = price.find((s) => s.Sid === 'TableKey')!;
      assert.deepEqual(key.Condition, {
        StringEquals: { 'kms:ViaService': `dynamodb.${regionFor(env)}.amazonaws.com` },
      });

      const owner = policyOf(env, 'ConfigServiceFunctionPolicy').filter(onConfigTable);
      assert.equal(owner.length, 1);
      assert.equal(owner[0]!.Sid, 'ConfigVersions');
      assert.deepEqual(asArray(owner[0]!.Action as string[]).sort(), [...CONFIG_OWNER_ACTIONS].sort());
      assert.equal(policyOf(env, 'AuthorizerFunctionPolicy').filter(onConfigTable).length, 0);
    }
  });

  test("price-fetcher reads the stage's config table, the one config-service uses, cached 60 s", () => {
    for (const env of ENVIRONMENTS) {
      const variables = Object.fromEntries(
        resourcesOf(stages[env], 'AWS::Lambda::Function').map(([, props]) => [
          String(props.FunctionName),
          (props.Environment as { Variables: Record<string, unknown> }).Variables,
        ]),
      );
      const price = variables[`price-fetcher-${env}`]!;
      assert.equal(price.CONFIG_TABLE, `pricing-config-${env}`);
      assert.equal(price.CONFIG_TABLE, variables[`config-service-${env}`]!.CONFIG_TABLE);
      assert.equal(price.CONFIG_CACHE_SECONDS, '60');
      assert.ok(
        !('CONFIG_TABLE' in variables[`authorizer-${env}`]!),
        `${env}: the authorizer has no CONFIG_TABLE`,
      );
      stages[env].hasResourceProperties('AWS::DynamoDB::Table', { TableName: price.CONFIG_TABLE });
    }
  });
});

describe('buckets', () => {
  test('the vault: Object Lock COMPLIANCE, versioned, SSE-KMS, public access blocked, access-logged, retained', () => {
    shared.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        BucketName: Match.stringLikeRegexp('^pricing-vault-'),
        ObjectLockEnabled: true,
        ObjectLockConfiguration: {
          ObjectLockEnabled: 'Enabled',
          Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: VAULT_RETENTION_DAYS } },
        },
        VersioningConfiguration: { Status: 'Enabled' },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            Match.objectLike({
              ServerSideEncryptionByDefault: Match.objectLike({ SSEAlgorithm: 'aws:kms' }),
            }),
          ],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'vault/' }),
        ReplicationConfiguration: Match.objectLike({ Rules: [Match.objectLike({ Status: 'Enabled' })] }),
      }),
    });
  });

  test('the vault policy denies PutObject without If-None-Match, every DeleteObject*, and plain HTTP', () => {
    const statements = allStatements(shared).filter(
      (s) => s.type === 'AWS::S3::BucketPolicy' && JSON.stringify(s.statement).includes('Vault'),
    );
    const deny = (pred: (s: Record<string, unknown>) => boolean) =>
      statements.some(({ statement }) => statement.Effect === 'Deny' && pred(statement));
    assert.ok(
      deny(
        (s) =>
          asArray(s.Action as string[]).includes('s3:PutObject') &&
          JSON.stringify(s.Condition) === JSON.stringify({ Null: { 's3:if-none-match': 'true' } }),
      ),
      'PutObject without If-None-Match denied',
    );
    assert.ok(
      deny((s) => asArray(s.Action as string[]).includes('s3:DeleteObject*')),
      'DeleteObject* denied',
    );
    assert.ok(
      deny(
        (s) => JSON.stringify(s.Condition) === JSON.stringify({ Bool: { 'aws:SecureTransport': 'false' } }),
      ),
      'non-TLS denied',
    );
  });

  test("the audit archive of each stage: Object Lock COMPLIANCE for the stage's audit retention, KMS, deny deletes", () => {
    for (const env of ENVIRONMENTS) {
      stages[env].hasResourceProperties('AWS::S3::Bucket', {
        ObjectLockEnabled: true,
        ObjectLockConfiguration: {
          ObjectLockEnabled: 'Enabled',
          Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: AUDIT_RETENTION_DAYS[env] } },
        },
        VersioningConfiguration: { Status: 'Enabled' },
      });
      const denies = allStatements(stages[env]).filter(
        (s) =>
          s.type === 'AWS::S3::BucketPolicy' &&
          s.statement.Effect === 'Deny' &&
          asArray(s.statement.Action as string[]).includes('s3:DeleteObject*'),
      );
      assert.equal(denies.length, 1, `${env}: one deny-delete statement (the archive)`);
    }
  });

  test('the archive is fed by a Pipe that forwards INSERTs only (TTL REMOVEs never reach the evidence) into an encrypted Firehose', () => {
    dev.hasResourceProperties('AWS::Pipes::Pipe', {
      SourceParameters: {
        DynamoDBStreamParameters: Match.objectLike({
          StartingPosition: 'TRIM_HORIZON',
          MaximumRetryAttempts: -1,
        }),
        FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ eventName: ['INSERT'] }) }] },
      },
    });
    dev.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      DeliveryStreamEncryptionConfigurationInput: {
        KeyType: 'CUSTOMER_MANAGED_CMK',
        KeyARN: Match.anyValue(),
      },
      ExtendedS3DestinationConfiguration: Match.objectLike({
        Prefix: 'audit/stage=dev/dt=!{timestamp:yyyy-MM-dd}/',
      }),
    });
  });
});

describe('functions', () => {
  test('every template function is deployed from the vault with the template runtime, memory, timeout and tracing', () => {
    for (const name of ['price-fetcher', 'config-service', 'authorizer']) {
      dev.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: `${name}-dev`,
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        MemorySize: 512,
        Timeout: 10,
        TracingConfig: { Mode: 'Active' },
        Code: { S3Bucket: Match.stringLikeRegexp('^pricing-vault-'), S3Key: `v0.0.0/${name}.zip` },
      });
      dev.hasResourceProperties('AWS::Lambda::Alias', { Name: 'live' });
    }
    stages.dr.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'price-fetcher-dr',
      Code: { S3Bucket: Match.stringLikeRegexp('-us-west-2$'), S3Key: 'v0.0.0/price-fetcher.zip' },
    });
  });

  test('reserved concurrency per stage bounds price-fetcher (and so the Oracle sessions)', () => {
    for (const env of ENVIRONMENTS) {
      stages[env].hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: `price-fetcher-${env}`,
        ReservedConcurrentExecutions: STAGE_LIMITS[env].reservedConcurrency['price-fetcher'],
      });
    }
  });

  test('no deployed function carries ORACLE_PASSWORD, DYNAMODB_ENDPOINT, SQLITE_PATH or PRICE_DB=sqlite; price-fetcher gets ORACLE_SECRET_ARN', () => {
    for (const template of Object.values(stages)) {
      for (const [, props] of resourcesOf(template, 'AWS::Lambda::Function')) {
        const variables =
          (props.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
        for (const local of LOCAL_ONLY_VARIABLES)
          assert.ok(!(local in variables), `${String(props.FunctionName)} has ${local}`);
        assert.notEqual(variables.PRICE_DB, 'sqlite');
      }
    }
    prod.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'price-fetcher-prod',
      Environment: {
        Variables: Match.objectLike({
          STAGE: 'prod',
          PRICE_DB: 'oracle',
          ORACLE_SECRET_ARN: { Ref: Match.stringLikeRegexp('^OracleSecret') },
          AUDIT_TABLE: 'pricing-audit-prod',
          AUDIT_RETENTION_DAYS: '2190',
        }),
      },
    });
    // The HTTP functions trust a caller only through the alias API Gateway invokes.
    for (const template of Object.values(stages)) {
      for (const name of ['price-fetcher', 'config-service']) {
        template.hasResourceProperties('AWS::Lambda::Function', {
          FunctionName: Match.stringLikeRegexp(`^${name}-`),
          Environment: { Variables: Match.objectLike({ API_ALIAS: 'live' }) },
        });
      }
    }
    prod.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'authorizer-prod',
      Environment: {
        Variables: Match.objectLike({
          JWKS_URL: Match.stringLikeRegexp('^https://'),
          TOKEN_ISSUER: Match.stringLikeRegexp('^https://'),
          TOKEN_AUDIENCE: 'pricing-api',
          ROLES_CLAIM: 'roles',
        }),
      },
    });
  });

  test('log groups keep the stage retention (dev 7, qa 30, uat 90, prod 365, dr 365) and are KMS-encrypted', () => {
    for (const env of ENVIRONMENTS) {
      for (const name of ['price-fetcher', 'config-service', 'authorizer']) {
        stages[env].hasResourceProperties('AWS::Logs::LogGroup', {
          LogGroupName: `/aws/lambda/${name}-${env}`,
          RetentionInDays: LOG_RETENTION_DAYS[env],
          KmsKeyId: Match.anyValue(),
        });
      }
    }
  });
});

describe('API', () => {
  test('a TOKEN authorizer on the Authorization header, cached 60 s, is the authorizer of every route (CORS preflights: test/api-gateway.test.ts)', () => {
    for (const template of Object.values(stages)) {
      template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
        Type: 'TOKEN',
        IdentitySource: 'method.request.header.Authorization',
        AuthorizerResultTtlInSeconds: 60,
      });
      const methods = resourcesOf(template, 'AWS::ApiGateway::Method').filter(
        ([, props]) => props.HttpMethod !== 'OPTIONS',
      );
      assert.equal(methods.length, 5);
      for (const [id, props] of methods) {
        assert.equal(props.AuthorizationType, 'CUSTOM', id);
        assert.ok(props.AuthorizerId, `${id} has an authorizer`);
      }
    }
  });

  test('stage throttling, X-Ray, and JSON access logs without query strings', () => {
    for (const env of ENVIRONMENTS) {
      const [[, stage]] = resourcesOf(stages[env], 'AWS::ApiGateway::Stage') as [
        [string, Record<string, unknown>],
      ];
      assert.equal(stage.TracingEnabled, true);
      assert.deepEqual((stage.MethodSettings as Record<string, unknown>[])[0], {
        DataTraceEnabled: false,
        HttpMethod: '*',
        LoggingLevel: 'ERROR',
        MetricsEnabled: true,
        ResourcePath: '/*',
        ThrottlingBurstLimit: STAGE_LIMITS[env].throttleBurst,
        ThrottlingRateLimit: STAGE_LIMITS[env].throttleRate,
      });
      const format = (stage.AccessLogSetting as { Format: string }).Format;
      const fields = JSON.parse(format) as Record<string, string>;
      assert.equal(fields.requestId, '$context.requestId');
      assert.doesNotMatch(format, /querystring|\$context\.path\b|\$input|requestOverride/i);
    }
  });
});

describe('alarms', () => {
  test('AuditWriteFailed, SourceUnavailable, ConfigUnavailable (EMF), AuthenticationFailed, API 5xx, throttles and p99 alarm to the KMS-encrypted topic', () => {
    for (const env of ENVIRONMENTS) {
      const template = stages[env];
      template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
      const alarms = resourcesOf(template, 'AWS::CloudWatch::Alarm').map(([, p]) => p);
      for (const alarm of alarms) {
        assert.equal(asArray(alarm.AlarmActions as unknown[]).length, 1, String(alarm.AlarmName));
        assert.match(JSON.stringify(alarm.AlarmActions), /AlarmsTopic/);
      }
      const emf = (metric: string, service: string) =>
        alarms.some(
          (a) =>
            a.Namespace === METRICS_NAMESPACE &&
            a.MetricName === metric &&
            JSON.stringify(a.Dimensions) ===
              JSON.stringify([
                { Name: 'service', Value: service },
                { Name: 'stage', Value: env },
              ]),
        );
      assert.ok(emf('AuditWriteFailed', 'price-fetcher'));
      assert.ok(emf('AuditWriteFailed', 'config-service'));
      assert.ok(emf('SourceUnavailable', 'price-fetcher'));
      assert.ok(emf('ConfigUnavailable', 'config-service'));
      assert.ok(emf('ConfigUnavailable', 'price-fetcher'));
      // Informational only: a refusal during maintenance is the configured behaviour, not an incident.
      assert.ok(!alarms.some((a) => a.MetricName === 'MaintenanceRefused'));
      assert.ok(emf('AuthenticationFailed', 'authorizer'));
      // The 5xx rate leaves out price-fetcher's MAINTENANCE refusals: maintenance must not page anyone.
      const rate = alarms.find((a) => String(a.AlarmName).endsWith('-api-5xx-rate'));
      assert.ok(rate, 'the 5xx rate alarm');
      const queries = rate.Metrics as Array<{
        Id: string;
        Expression?: string;
        MetricStat?: {
          Metric: { Namespace: string; MetricName: string; Dimensions?: unknown[] };
          Stat: string;
        };
      }>;
      assert.match(
        String(queries.find((q) => q.Expression)?.Expression),
        /\(errors - FILL\(maintenance, 0\)\) \/ requests/,
      );
      const stat = (id: string) => queries.find((q) => q.Id === id)?.MetricStat;
      assert.deepEqual(
        [stat('errors')?.Metric.MetricName, stat('errors')?.Metric.Namespace, stat('errors')?.Stat],
        ['5XXError', 'AWS/ApiGateway', 'Sum'],
      );
      assert.deepEqual([stat('requests')?.Metric.MetricName, stat('requests')?.Stat], ['Count', 'Sum']);
      assert.deepEqual(stat('maintenance')?.Metric, {
        Namespace: METRICS_NAMESPACE,
        MetricName: 'MaintenanceRefused',
        Dimensions: [
          { Name: 'service', Value: 'price-fetcher' },
          { Name: 'stage', Value: env },
        ],
      });
      assert.ok(
        alarms.some(
          (a) =>
            a.Namespace === 'AWS/ApiGateway' && a.MetricName === 'Latency' && a.ExtendedStatistic === 'p99',
        ),
      );
      assert.equal(alarms.filter((a) => a.MetricName === 'Throttles').length, 3);
    }
  });
});

describe('dashboard', () => {
  /** The dashboard's JSON, with any CloudFormation reference left as a placeholder. */
  const bodyOf = (props: Record<string, unknown>): DashboardBody => {
    const body = props.DashboardBody as string | { 'Fn::Join': [string, unknown[]] };
    const text =
      typeof body === 'string'
        ? body
        : body['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : 'REF')).join('');
    return JSON.parse(text) as DashboardBody;
  };
  interface DashboardBody {
    widgets: Array<{ properties: { title: string; metrics: unknown[][] } }>;
  }

  test('per route, served is the gateway count less its 4xx and 5xx, beside latency; EMF counts by cause per service', () => {
    for (const env of ENVIRONMENTS) {
      const [[, props]] = resourcesOf(stages[env], 'AWS::CloudWatch::Dashboard') as [
        [string, Record<string, unknown>],
      ];
      assert.equal(props.DashboardName, `pricing-${env}`);
      const { widgets } = bodyOf(props);
      const titles = widgets.map((w) => w.properties.title);
      for (const route of [
        'GET /price',
        'GET /config',
        'GET /config/{key}',
        'PUT /config/{key}',
        'GET /config/{key}/history',
      ]) {
        assert.ok(titles.includes(`${route}: served, refused, failed`), `${env}: ${route} served`);
        assert.ok(titles.includes(`${route}: latency (ms)`), `${env}: ${route} latency`);
      }
      const price = widgets.find((w) => w.properties.title === 'GET /price: served, refused, failed')!;
      const rows = JSON.stringify(price.properties.metrics);
      assert.match(rows, /requests - FILL\(refused, 0\) - FILL\(failed, 0\)/);
      for (const metric of ['Count', '4XXError', '5XXError'])
        assert.ok(
          rows.includes(
            JSON.stringify([
              'AWS/ApiGateway',
              metric,
              'ApiName',
              `pricing-${env}`,
              'Method',
              'GET',
              'Resource',
              '/price',
              'Stage',
              env,
            ]).slice(1, -1),
          ),
          `${env}: ${metric} of GET /price`,
        );
      // price-fetcher's 503 MAINTENANCE is shown apart among its 5xx; config-service has no such refusal.
      const maintenance = JSON.stringify(['PricingService', 'MaintenanceRefused']).slice(1, -1);
      assert.ok(rows.includes(maintenance), `${env}: maintenance beside GET /price's 5xx`);
      const config = widgets.find(
        (w) => w.properties.title === 'PUT /config/{key}: served, refused, failed',
      )!;
      assert.ok(!JSON.stringify(config.properties.metrics).includes(maintenance));
      const latency = widgets.find((w) => w.properties.title === 'GET /price: latency (ms)')!;
      assert.match(JSON.stringify(latency.properties.metrics), /"IntegrationLatency"/);
      for (const [service, metrics] of Object.entries(EMF_COUNTS)) {
        const widget = widgets.find((w) => w.properties.title === `${service}: counted by cause (EMF)`);
        assert.ok(widget, `${env}: ${service} EMF widget`);
        assert.equal(widget.properties.metrics.length, metrics.length);
      }
    }
  });
});

describe('GitHub OIDC deploy roles', () => {
  test('one role per environment trusts only that environment of the repository, audience sts.amazonaws.com', () => {
    for (const env of ENVIRONMENTS) {
      shared.hasResourceProperties('AWS::IAM::Role', {
        RoleName: `pricing-deploy-${env}`,
        AssumeRolePolicyDocument: {
          Statement: [
            Match.objectLike({
              Action: 'sts:AssumeRoleWithWebIdentity',
              Condition: {
                StringEquals: {
                  'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
                  'token.actions.githubusercontent.com:sub': `repo:example-org/pricing-lambda-monorepo:environment:${env}`,
                },
              },
            }),
          ],
        },
      });
    }
    shared.hasResourceProperties('AWS::IAM::OIDCProvider', {
      Url: 'https://token.actions.githubusercontent.com',
      ClientIdList: ['sts.amazonaws.com'],
    });
  });

  test("a role writes promotion records of its own environment only, and deploys only its own stage's functions", () => {
    const policies = resourcesOf(shared, 'AWS::IAM::ManagedPolicy');
    for (const env of ENVIRONMENTS) {
      const [, props] = policies.find(([id]) => id.startsWith(`DeployPolicy${env}`)) ?? [];
      assert.ok(props, env);
      const statements = (props.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement;
      const puts = statements.filter(
        (s) => asArray(s.Action as string[]).includes('s3:PutObject') && s.Sid !== 'UploadStackTemplate',
      );
      assert.equal(puts.length, 1);
      assert.match(JSON.stringify(puts[0]!.Resource), new RegExp(`/\\*/promotions/${env}-\\*"`));
      // stack:deploy: change sets on its own stage's stack only, CloudFormation acting as the bootstrap role.
      const stack = statements.find((s) => s.Sid === 'DeployOwnStack')!;
      assert.match(JSON.stringify(stack.Resource), new RegExp(`:stack/pricing-${env}/\\*`));
      assert.ok(!asArray(stack.Action as string[]).some((a) => a.endsWith('*')));
      const pass = statements.find((s) => s.Sid === 'PassBootstrapExecutionRole')!;
      assert.deepEqual(pass.Condition, {
        StringEquals: { 'iam:PassedToService': 'cloudformation.amazonaws.com' },
      });
      const lambda = statements.find((s) => s.Sid === 'DeployStageFunctions')!;
      for (const arn of asArray(lambda.Resource as unknown[])) {
        assert.match(JSON.stringify(arn), new RegExp(`function:[a-z-]+-${env}(:\\*)?"`));
      }
      // It smoke-tests a version by number, and never invokes what serves traffic: a direct invoke could
      // carry any authorizer context.
      const never = statements.find((s) => s.Sid === 'NeverInvokeWhatServesTraffic')!;
      assert.equal(never.Effect, 'Deny');
      assert.deepEqual(never.Action, 'lambda:InvokeFunction');
      const denied = asArray(never.Resource as unknown[]).map((arn) => JSON.stringify(arn));
      for (const name of ['price-fetcher', 'config-service', 'authorizer']) {
        for (const qualifier of ['', ':live', ':$LATEST']) {
          assert.ok(
            denied.some((arn) => arn.includes(`function:${name}-${env}${qualifier}"`)),
            `${env}: ${name}${qualifier} not denied`,
          );
        }
      }
      assert.equal(
        statements.some((s) => s.Sid === 'CanaryThroughCodeDeploy'),
        env === 'prod',
      );
    }
  });
});

describe('gateway responses', () => {
  test("the authorizer's and the gateway's own 4xx and 5xx carry the stage's web origin, so the web app can read them", () => {
    for (const type of ['DEFAULT_4XX', 'DEFAULT_5XX']) {
      prod.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
        ResponseType: type,
        ResponseParameters: Match.objectLike({
          'gatewayresponse.header.Access-Control-Allow-Origin': "'https://pricing-prod.example.com'",
        }),
      });
    }
  });
});

describe('canary', () => {
  test("PROD shifts each function's live alias with Canary10Percent5Minutes, rolled back on its alarms; other stages have no canary", () => {
    const groups = resourcesOf(prod, 'AWS::CodeDeploy::DeploymentGroup');
    assert.equal(groups.length, 3);
    // The names the release tool's CreateDeployment uses: application pricing-<stage>, groups <function>-<stage>.
    assert.deepEqual(groups.map(([, group]) => group.DeploymentGroupName).sort(), [
      'authorizer-prod',
      'config-service-prod',
      'price-fetcher-prod',
    ]);
    prod.hasResourceProperties('AWS::CodeDeploy::Application', { ApplicationName: 'pricing-prod' });
    for (const [, group] of groups) {
      assert.deepEqual(group.DeploymentConfigName, 'CodeDeployDefault.LambdaCanary10Percent5Minutes');
      assert.deepEqual((group.AutoRollbackConfiguration as { Enabled: boolean }).Enabled, true);
      assert.ok(asArray((group.AlarmConfiguration as { Alarms: unknown[] }).Alarms).length >= 3);
    }
    for (const [, alias] of Object.entries(prod.findResources('AWS::Lambda::Alias'))) {
      assert.ok(
        (alias as { UpdatePolicy?: { CodeDeployLambdaAliasUpdate?: unknown } }).UpdatePolicy
          ?.CodeDeployLambdaAliasUpdate,
      );
    }
    for (const env of ['dev', 'qa', 'uat', 'dr'] as const)
      stages[env].resourceCountIs('AWS::CodeDeploy::DeploymentGroup', 0);
  });
});
