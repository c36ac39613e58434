import { Aws, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import {
  AUDIT_INDEX,
  AUDIT_RETENTION_DAYS,
  AUDIT_TTL_ATTRIBUTE,
  LIVE_ALIAS,
  LOG_RETENTION_DAYS,
  STAGE_LIMITS,
  TABLE_BASE_NAME,
  type StageSettings,
} from '../config.ts';
import {
  corsOrigins,
  PREFLIGHT_ALLOWED_HEADERS,
  PREFLIGHT_MAX_AGE_SECONDS,
  preflightMethods,
} from '../cors.ts';
import { deployedEnvironment } from '../environment.ts';
import { customerKey, logsUse } from '../kms.ts';
import { acknowledge, acknowledgeManagedPolicy, acknowledgeWildcards } from '../nag.ts';
import type { TemplateDescription, TemplateFunction } from '../template.ts';
import { ServiceAlarms } from './alarms.ts';
import { AuditArchive } from './audit-archive.ts';
import { ServiceDashboard } from './dashboard.ts';
import { accessLogBucket } from './vault.ts';

/**
 * What each function may do to the audit table: PutItem (the audit write, also as a transaction's Put),
 * GetItem (kept for the stored item a failed condition returns, `ReturnValuesOnConditionCheckFailure`;
 * no function reads items otherwise) and DescribeTable (the health probe). No Query, on the table or its
 * index: no function reads the trail, so a compromised one cannot read every user's lookups.
 */
export const AUDIT_ALLOWED_ACTIONS = ['dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:DescribeTable'];
export const AUDIT_DENIED_ACTIONS = ['dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

/**
 * The config table belongs to config-service: it writes versions (PutItem, also as a transaction's Put),
 * reads them (GetItem, Query) and probes the table (DescribeTable). Every other function whose template
 * environment names CONFIG_TABLE only reads settings from it (price-fetcher: maintenanceMode,
 * priceCacheSeconds, and its health probe), with consistent Queries: Query on the table, no index, no write.
 */
export const CONFIG_OWNER = 'config-service';
export const CONFIG_OWNER_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:GetItem',
  'dynamodb:Query',
  'dynamodb:DescribeTable',
];
export const CONFIG_READER_ACTIONS = ['dynamodb:Query'];

export interface ServiceStackProps extends StackProps {
  settings: StageSettings;
  template: TemplateDescription;
  version: string;
  /** The bucket the code zips come from, in this stack's region (the vault, or its replica in DR). */
  codeBucketName: string;
}

/** One stage of the pricing service: tables, archive, functions, API, alarms, backups (and the canary in prod). */
export class ServiceStack extends Stack {
  readonly api: apigw.RestApi;
  readonly functions: Record<string, lambda.Function> = {};
  readonly aliases: Record<string, lambda.Alias> = {};
  readonly auditTable: dynamodb.Table;
  readonly configTable: dynamodb.Table;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);
    const { settings, template } = props;
    const { env } = settings;
    const limits = STAGE_LIMITS[env];

    const key = customerKey(
      this,
      'DataKey',
      `Encrypts the pricing ${env} tables, archive, logs, secret and alarms.`,
      [
        logsUse(this.region),
        // CloudWatch alarms publish to the encrypted topic.
        { service: 'cloudwatch.amazonaws.com', actions: ['kms:Decrypt', 'kms:GenerateDataKey'] },
      ],
    );

    this.auditTable = this.protectedTable('AuditTable', `${TABLE_BASE_NAME.audit}-${env}`, key, true);
    this.auditTable.addGlobalSecondaryIndex({
      indexName: AUDIT_INDEX,
      partitionKey: { name: 'resource', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.ALL,
    });
    this.configTable = this.protectedTable('ConfigTable', `${TABLE_BASE_NAME.config}-${env}`, key, false);
    this.backups(env, key);

    const accessLogs = accessLogBucket(this, 'AccessLogs');
    new AuditArchive(this, 'AuditArchive', {
      env,
      table: this.auditTable,
      key,
      retentionDays: AUDIT_RETENTION_DAYS[env],
      logRetentionDays: LOG_RETENTION_DAYS[env],
      accessLogs,
    });

    // The L1 resource: the L2 Secret adds a key-policy statement with wildcard actions (kms:ReEncrypt*).
    const oracleSecretResource = new secretsmanager.CfnSecret(this, 'OracleSecret', {
      name: `pricing/${env}/oracle`,
      description: `Password of the ${settings.oracleUser} Oracle account price-fetcher (${env}) connects with. Created with a random placeholder; the DBA sets the real one with put-secret-value.`,
      kmsKeyId: key.keyArn,
      generateSecretString: { passwordLength: 32, excludePunctuation: true },
    });
    oracleSecretResource.applyRemovalPolicy(RemovalPolicy.RETAIN);
    const oracleSecret = secretsmanager.Secret.fromSecretCompleteArn(
      this,
      'OracleSecretRef',
      oracleSecretResource.ref,
    );
    acknowledge(oracleSecretResource, {
      'AwsSolutions-SMG4':
        'The password belongs to the legacy Oracle database, whose account the DBA team rotates on its own schedule (no Secrets Manager rotation Lambda can reach or change that database); they write each new value here.',
      'NIST.800.53.R5-SecretsManagerRotationEnabled':
        'Rotation of the legacy Oracle account is owned by the DBA team outside AWS; they update this secret when they rotate.',
    });

    const codeBucket = s3.Bucket.fromBucketName(this, 'CodeBucket', props.codeBucketName);
    const authorizerId = template.authorizer.functionLogicalId;
    for (const fn of template.functions) {
      const isAuthorizer = fn.logicalId === authorizerId;
      this.addFunction(fn, {
        settings,
        template,
        key,
        codeBucket,
        version: props.version,
        oracleSecret,
        auditing: !isAuthorizer,
      });
    }

    this.api = this.restApi(settings, template, key);

    const alarms = new ServiceAlarms(this, 'Alarms', {
      env,
      key,
      limits,
      api: this.api,
      aliases: this.aliases,
      alarmEmail: settings.alarmEmail,
    });
    new ServiceDashboard(this, 'Dashboard', {
      env,
      api: this.api,
      routes: template.functions.flatMap((fn) =>
        this.aliases[fn.name] ? fn.routes.map((route) => ({ ...route, service: fn.name })) : [],
      ),
    });

    if (limits.canary) {
      // PROD shifts traffic 10% → 100% over 5 minutes; any of the function's alarms rolls it back.
      const application = new codedeploy.LambdaApplication(this, 'Canary', {
        applicationName: `pricing-${env}`,
      });
      for (const [name, alias] of Object.entries(this.aliases)) {
        const group = new codedeploy.LambdaDeploymentGroup(this, `Canary-${name}`, {
          application,
          // `<function>-<stage>`, the name the release tool's CreateDeployment uses (docs/release.md).
          deploymentGroupName: `${name}-${env}`,
          alias,
          deploymentConfig: codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES,
          alarms: alarms.rollbackAlarms(name),
          autoRollback: { failedDeployment: true, stoppedDeployment: true, deploymentInAlarm: true },
        });
        acknowledgeManagedPolicy(
          group,
          'service-role/AWSCodeDeployRoleForLambdaLimited',
          "CodeDeploy's own service role uses the AWS-maintained AWSCodeDeployRoleForLambdaLimited policy, which AWS keeps in step with what Lambda traffic shifting needs (alias updates, alarm reads).",
        );
      }
    }

    new CfnOutput(this, 'ApiUrl', { value: this.api.url });
    new CfnOutput(this, 'AuditTableName', { value: this.auditTable.tableName });
    new CfnOutput(this, 'ConfigTableName', { value: this.configTable.tableName });
    new CfnOutput(this, 'OracleSecretArn', { value: oracleSecret.secretArn });
  }

  private protectedTable(id: string, tableName: string, key: kms.IKey, audit: boolean): dynamodb.Table {
    return new dynamodb.Table(this, id, {
      tableName,
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: key,
      removalPolicy: RemovalPolicy.RETAIN,
      ...(audit
        ? { timeToLiveAttribute: AUDIT_TTL_ATTRIBUTE, stream: dynamodb.StreamViewType.NEW_IMAGE }
        : {}),
    });
  }

  private backups(env: string, key: kms.IKey): void {
    const vault = new backup.BackupVault(this, 'BackupVault', {
      backupVaultName: `pricing-${env}`,
      encryptionKey: key,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const plan = backup.BackupPlan.daily35DayRetention(this, 'BackupPlan', vault);
    plan.addSelection('Tables', {
      resources: [
        backup.BackupResource.fromDynamoDbTable(this.auditTable),
        backup.BackupResource.fromDynamoDbTable(this.configTable),
      ],
    });
    acknowledgeManagedPolicy(
      plan,
      'service-role/AWSBackupServiceRolePolicyForBackup',
      "AWS Backup's service role uses the AWS-maintained AWSBackupServiceRolePolicyForBackup policy, which AWS keeps in step with the backup APIs of every supported resource type.",
    );
  }

  private addFunction(
    fn: TemplateFunction,
    ctx: {
      settings: StageSettings;
      template: TemplateDescription;
      key: kms.IKey;
      codeBucket: s3.IBucket;
      version: string;
      oracleSecret: secretsmanager.ISecret;
      auditing: boolean;
    },
  ): void {
    const { env } = ctx.settings;
    const functionName = `${fn.name}-${env}`;
    const logGroup = new logs.LogGroup(this, `${fn.logicalId}LogGroup`, {
      logGroupName: `/aws/lambda/${functionName}`,
      retention: LOG_RETENTION_DAYS[env],
      encryptionKey: ctx.key,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const environment = deployedEnvironment(fn, {
      settings: ctx.settings,
      version: ctx.version,
      oracleSecretArn: ctx.oracleSecret.secretArn,
    });

    const role = new iam.Role(this, `${fn.logicalId}Role`, {
      roleName: `pricing-${functionName}`,
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${functionName}.`,
    });
    const statements = [
      new iam.PolicyStatement({
        sid: 'WriteOwnLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
      new iam.PolicyStatement({
        sid: 'Tracing',
        actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
        resources: ['*'],
      }),
      new iam.PolicyStatement({
        sid: 'DecryptEnvironment',
        actions: ['kms:Decrypt'],
        resources: [ctx.key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `lambda.${this.region}.amazonaws.com` } },
      }),
    ];
    if (ctx.auditing) {
      statements.push(
        new iam.PolicyStatement({
          sid: 'AuditWriteOnce',
          // TransactWriteItems is authorized per contained action: its audit Put is PutItem here.
          actions: AUDIT_ALLOWED_ACTIONS,
          resources: [this.auditTable.tableArn],
        }),
        new iam.PolicyStatement({
          sid: 'AuditNeverChangedOrDeleted',
          effect: iam.Effect.DENY,
          actions: AUDIT_DENIED_ACTIONS,
          resources: [this.auditTable.tableArn, `${this.auditTable.tableArn}/index/${AUDIT_INDEX}`],
        }),
        // Both tables are encrypted with the stage's key, so this also covers reading the config table.
        new iam.PolicyStatement({
          sid: 'TableKey',
          actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
          resources: [ctx.key.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${this.region}.amazonaws.com` } },
        }),
      );
    }
    if ('CONFIG_TABLE' in environment) {
      if (!ctx.auditing) throw new Error(`${fn.logicalId}: reads the config table but has no TableKey grant`);
      // This stack's own table (no cross-stack reference): the owner's rights, or a Query-only read.
      statements.push(
        fn.name === CONFIG_OWNER
          ? new iam.PolicyStatement({
              sid: 'ConfigVersions',
              actions: CONFIG_OWNER_ACTIONS,
              resources: [this.configTable.tableArn],
            })
          : new iam.PolicyStatement({
              sid: 'ConfigReadOnly',
              actions: CONFIG_READER_ACTIONS,
              resources: [this.configTable.tableArn],
            }),
      );
    }
    if ('ORACLE_SECRET_ARN' in environment) {
      statements.push(
        new iam.PolicyStatement({
          sid: 'OraclePassword',
          actions: ['secretsmanager:GetSecretValue'],
          resources: [ctx.oracleSecret.secretArn],
        }),
        new iam.PolicyStatement({
          sid: 'OraclePasswordKey',
          actions: ['kms:Decrypt'],
          resources: [ctx.key.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${this.region}.amazonaws.com` } },
        }),
      );
    }
    const policy = new iam.ManagedPolicy(this, `${fn.logicalId}Policy`, { roles: [role], statements });
    acknowledgeWildcards(
      policy,
      [/^Resource::\*$/],
      'X-Ray PutTraceSegments/PutTelemetryRecords have no resource to scope to (AWS documents resource "*"); it is the only wildcard of this policy.',
    );

    const limits = STAGE_LIMITS[env];
    const reserved = limits.reservedConcurrency[fn.name as keyof typeof limits.reservedConcurrency];
    if (reserved === undefined)
      throw new Error(`${fn.name}: no reserved concurrency for ${env} in config.ts`);
    const template = ctx.template;
    const fnResource = new lambda.Function(this, fn.logicalId, {
      functionName,
      description: fn.description,
      runtime: new lambda.Runtime(template.runtime, lambda.RuntimeFamily.NODEJS),
      handler: fn.handler,
      code: lambda.Code.fromBucket(ctx.codeBucket, `${ctx.version}/${fn.name}.zip`),
      memorySize: template.memorySize,
      timeout: Duration.seconds(template.timeoutSeconds),
      tracing: lambda.Tracing.ACTIVE,
      environment,
      environmentEncryption: ctx.key,
      // The hand-written policy above is the whole of its rights: nothing is added behind our back.
      role: role.withoutPolicyUpdates(),
      logGroup,
      reservedConcurrentExecutions: reserved,
    });
    fnResource.node.addDependency(role);
    acknowledge(fnResource, {
      'AwsSolutions-L1':
        'The project targets nodejs22.x (DESIGN §4: Middy 7 and the build are verified on Node 22); moving to a newer runtime is a deliberate upgrade, not a stack default.',
      'NIST.800.53.R5-LambdaDLQ':
        'Invoked synchronously by API Gateway only; a DLQ applies to asynchronous invocations. Failures are returned to the caller, counted by EMF metrics and alarmed.',
      'NIST.800.53.R5-LambdaInsideVPC':
        'Not in a VPC yet: the network path to the legacy Oracle host (Direct Connect/VPN, subnets, VPC endpoints for DynamoDB, Secrets Manager, X-Ray and Logs) is owned by the network team and not defined in this repository; price-fetcher must move into that VPC when it exists.',
    });
    this.functions[fn.name] = fnResource;
    this.aliases[fn.name] = new lambda.Alias(this, `${fn.logicalId}Live`, {
      aliasName: LIVE_ALIAS,
      version: fnResource.currentVersion,
    });
  }

  private restApi(settings: StageSettings, template: TemplateDescription, key: kms.IKey): apigw.RestApi {
    const { env } = settings;
    const limits = STAGE_LIMITS[env];
    const accessLogGroup = new logs.LogGroup(this, 'ApiAccessLogs', {
      logGroupName: `/aws/apigateway/pricing-${env}/access`,
      retention: LOG_RETENTION_DAYS[env],
      encryptionKey: key,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // API Gateway writes execution logs through one role per account and region.
    const cloudWatchRole = new iam.Role(this, 'ApiGatewayLogsRole', {
      assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      description: 'API Gateway writes execution logs (account-level setting of this region).',
    });
    const logsPolicy = new iam.ManagedPolicy(this, 'ApiGatewayLogsPolicy', {
      roles: [cloudWatchRole],
      statements: [
        new iam.PolicyStatement({
          actions: [
            'logs:CreateLogGroup',
            'logs:CreateLogStream',
            'logs:DescribeLogGroups',
            'logs:DescribeLogStreams',
            'logs:PutLogEvents',
            'logs:GetLogEvents',
            'logs:FilterLogEvents',
          ],
          resources: [
            `arn:${Aws.PARTITION}:logs:${this.region}:${Aws.ACCOUNT_ID}:log-group:API-Gateway-Execution-Logs_*`,
          ],
        }),
      ],
    });
    acknowledgeWildcards(
      logsPolicy,
      [/:log-group:API-Gateway-Execution-Logs_\*$/],
      'API Gateway names its execution log groups API-Gateway-Execution-Logs_<api id>/<stage> itself; the role is limited to that prefix.',
    );
    const account = new apigw.CfnAccount(this, 'ApiGatewayAccount', {
      cloudWatchRoleArn: cloudWatchRole.roleArn,
    });

    const authorizerFn = template.functions.find(
      (f) => f.logicalId === template.authorizer.functionLogicalId,
    );
    const authorizerAlias = authorizerFn && this.aliases[authorizerFn.name];
    if (!authorizerAlias) throw new Error('the template authorizer has no deployed function');
    const authorizer = new apigw.TokenAuthorizer(this, 'TokenAuthorizer', {
      authorizerName: 'token',
      handler: authorizerAlias,
      identitySource: apigw.IdentitySource.header(template.authorizer.header),
      resultsCacheTtl: Duration.seconds(template.authorizer.ttlSeconds),
    });

    const api = new apigw.RestApi(this, 'Api', {
      restApiName: `pricing-${env}`,
      description: `Pricing service (${env}); every route behind the token authorizer.`,
      endpointTypes: [apigw.EndpointType.REGIONAL],
      cloudWatchRole: false,
      defaultMethodOptions: { authorizer, authorizationType: apigw.AuthorizationType.CUSTOM },
      deployOptions: {
        stageName: env,
        tracingEnabled: true,
        throttlingRateLimit: limits.throttleRate,
        throttlingBurstLimit: limits.throttleBurst,
        metricsEnabled: true,
        // ERROR only and no data trace: execution logs must not carry request parameters or headers.
        loggingLevel: apigw.MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        accessLogDestination: new apigw.LogGroupLogDestination(accessLogGroup),
        accessLogFormat: apigw.AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });
    api.deploymentStage.node.addDependency(account);
    const origins = corsOrigins(settings.corsOrigin);
    // The authorizer's and the gateway's own refusals (401, 403, 429, 5xx) never reach a function, so they
    // carry no CORS headers unless the gateway adds them: without these the web app could not read a 403.
    // A gateway response has one fixed value (no template can pick the caller's origin), so with a list it
    // names the first origin: never an origin off the list, and never the list itself (no browser accepts it).
    for (const type of [apigw.ResponseType.DEFAULT_4XX, apigw.ResponseType.DEFAULT_5XX]) {
      api.addGatewayResponse(`Cors${type.responseType}`, {
        type,
        responseHeaders: {
          'Access-Control-Allow-Origin': `'${origins[0]}'`,
          'Access-Control-Expose-Headers': "'x-request-id,x-correlation-id'",
          Vary: "'Origin'",
        },
      });
    }

    // No request validators: a request API Gateway refused itself (400 "Missing required request
    // parameters") would reach no function, so it would have no audit item, no {error:{code,message,requestId}}
    // body and no x-request-id. Each function validates every input with its Zod schema and audits the refusal.
    const routesByPath = new Map<string, { alias: lambda.Alias; method: string }[]>();
    for (const fn of template.functions) {
      const alias = this.aliases[fn.name];
      if (!alias) continue;
      for (const route of fn.routes) {
        const routes = routesByPath.get(route.path) ?? [];
        routes.push({ alias, method: route.method });
        routesByPath.set(route.path, routes);
      }
    }
    for (const [path, routes] of routesByPath) {
      const resource = api.root.resourceForPath(path);
      for (const { alias, method } of routes) {
        resource.addMethod(
          method,
          new apigw.LambdaIntegration(alias, { proxy: true, allowTestInvoke: false }),
        );
      }
      // The browser's CORS preflight: a MOCK answer (204), no function, and no authorizer: a preflight carries
      // no Authorization header, so behind the authorizer it would be refused and the real request never sent.
      // CDK gives this OPTIONS method AuthorizationType NONE whatever defaultMethodOptions say (aws-cdk #8615).
      // With several origins CDK's response template echoes the caller's Origin when it is on the list; any
      // other origin gets the first one, which its browser then refuses. cdk-nag 3 treats an OPTIONS method
      // whose responses are a 204 with Access-Control-Allow-* headers as a CORS preflight: APIG4 and COG4 do
      // not apply to it, so nothing is acknowledged for it (any other shape is a finding and fails synth).
      resource.addCorsPreflight({
        allowOrigins: origins,
        allowMethods: preflightMethods(routes.map((r) => r.method)),
        allowHeaders: PREFLIGHT_ALLOWED_HEADERS,
        maxAge: Duration.seconds(PREFLIGHT_MAX_AGE_SECONDS),
      });
    }

    acknowledge(api, {
      'AwsSolutions-APIG3':
        'No WAF web ACL yet: every route already needs a verified JWT (token authorizer) and stage throttling bounds floods; a WAF (rate-based and managed rules) is a cost decision recorded as open in the README.',
      'NIST.800.53.R5-APIGWAssociatedWithWAF':
        'No WAF web ACL yet: every route needs a verified JWT and the stage is throttled; adding WAF is an open cost decision (README).',
      'NIST.800.53.R5-APIGWCacheEnabledAndEncrypted':
        'Caching is deliberately off: every price lookup must reach the function so that it is audited (docs/compliance.md, promise 1); a cached answer would be an unaudited read.',
      'NIST.800.53.R5-APIGWSSLEnabled':
        'The check asks for a client certificate towards an HTTP backend; the integrations are Lambda proxy integrations called by API Gateway through the AWS API, which has no backend certificate to present.',
      'AwsSolutions-COG4':
        "Callers are authenticated by the TOKEN Lambda authorizer, which verifies the JWT of the organisation's identity provider (issuer, audience, signature by JWKS); the project has no Cognito user pool.",
      'AwsSolutions-APIG2':
        'No gateway request validation, on purpose: a request API Gateway refused itself would reach no function, so it would have no audit item, no structured {error:{code,message,requestId}} body and no x-request-id. Each function validates every input strictly with its Zod schema and audits each refusal (docs/compliance.md, promise 1).',
    });
    return api;
  }
}

/**
 * Access log fields. No query string, no path values (resourcePath is the template, /config/{key}), no
 * headers: ids, status and timings only. sourceIp stays because AU-3 asks for the source of each event.
 */
export const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  extendedRequestId: '$context.extendedRequestId',
  requestTimeEpoch: '$context.requestTimeEpoch',
  httpMethod: '$context.httpMethod',
  resourcePath: '$context.resourcePath',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  sourceIp: '$context.identity.sourceIp',
  principalId: '$context.authorizer.principalId',
  authorizerStatus: '$context.authorizer.status',
  authorizerLatency: '$context.authorizer.latency',
  integrationStatus: '$context.integration.status',
  integrationLatency: '$context.integration.latency',
  errorType: '$context.error.responseType',
  xrayTraceId: '$context.xrayTraceId',
};
