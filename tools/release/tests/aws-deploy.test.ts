import {
  CreateAliasCommand,
  GetAliasCommand,
  GetFunctionCommand,
  InvokeCommand,
  type InvokeCommandOutput,
  LambdaClient,
  PublishVersionCommand,
  ResourceNotFoundException,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
} from '@aws-sdk/client-lambda';
import { CodeDeployClient, CreateDeploymentCommand, GetDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { DR_REGION, PRIMARY_REGION, regionFor } from '../constants.ts';
import type { Manifest } from '../model.ts';
import { deployVersion } from '../deploy.ts';
import { AwsLambdaTarget, invokeHealthCheck, lambdaAppSpec } from '../deploy-targets/aws-lambda.ts';
import { DeploymentError, SmokeTestError, TrafficShiftError } from '../errors.ts';
import {
  HEALTHY_HANDLER,
  makeDist,
  recordPass,
  startTestVault,
  steppingClock,
} from '#testing/release-fixtures.ts';

const lambdaMock = mockClient(LambdaClient);
const codeDeployMock = mockClient(CodeDeployClient);
// The SDK waiters' delays, in seconds: short, so a test that polls twice does not sleep for real.
const FAST = { minDelay: 0.001, maxDelay: 0.002, maxWaitTime: 5 };
const COMMIT = 'c'.repeat(40);
// The SDK types Payload as its blob adapter; the code under test only reads the bytes.
const payload = (value: unknown) =>
  Buffer.from(JSON.stringify(value)) as unknown as InvokeCommandOutput['Payload'];
const HEALTHY = { StatusCode: 200, Payload: payload({ statusCode: 200, body: '{"status":"ok"}' }) };

describe('AWS Lambda deploy sequence', () => {
  let t: Awaited<ReturnType<typeof startTestVault>>;
  let manifest: Manifest;
  let codeSha: string;
  const lambda = new LambdaClient({ region: PRIMARY_REGION });
  const codeDeploy = new CodeDeployClient({ region: PRIMARY_REGION });
  const target = (codeSource: 's3' | 'bytes' = 's3', gradual = false) =>
    new AwsLambdaTarget({
      lambda,
      codeSource,
      ...(gradual ? { codeDeploy } : {}),
      updateWaiter: FAST,
      deploymentWaiter: FAST,
    });
  const deploy = (env: 'qa' | 'prod' | 'dr' = 'qa', codeSource: 's3' | 'bytes' = 's3') =>
    deployVersion({
      vault: t.vault.forStage(env),
      target: target(codeSource, env === 'prod'),
      env,
      version: 'v1.4.0',
      actor: 'alice',
      run: 'run-7',
    });

  beforeEach(async () => {
    lambdaMock.reset();
    codeDeployMock.reset();
    t = await startTestVault('vault', steppingClock());
    const dist = await makeDist({ 'price-fetcher': HEALTHY_HANDLER });
    manifest = await t.vault.upload({ version: 'v1.4.0', distDir: dist, commit: COMMIT, builder: 'ci' });
    codeSha = Buffer.from(manifest.files[0]!.sha256, 'hex').toString('base64');
    await recordPass(t.vault, manifest, 'dev');

    lambdaMock.on(GetAliasCommand).resolves({ Name: 'live', FunctionVersion: '6' });
    lambdaMock
      .on(UpdateFunctionCodeCommand)
      .resolves({ CodeSha256: codeSha, LastUpdateStatus: 'InProgress' });
    lambdaMock
      .on(GetFunctionCommand)
      .resolvesOnce({ Configuration: { LastUpdateStatus: 'InProgress' } })
      .resolves({ Configuration: { LastUpdateStatus: 'Successful', CodeSha256: codeSha } });
    lambdaMock.on(PublishVersionCommand).resolves({ Version: '7', CodeSha256: codeSha });
    lambdaMock.on(UpdateAliasCommand).resolves({});
    lambdaMock.on(InvokeCommand).resolves(HEALTHY);
  });
  afterEach(() => t.close());

  it('updates the code from the verified vault object, waits (SDK waiter), publishes, smoke-tests version 7 by number, and only then moves live', async () => {
    const outcome = await deploy();
    expect(outcome.deployments).toEqual([
      {
        baseName: 'price-fetcher',
        env: 'qa',
        functionName: 'price-fetcher-qa',
        releaseVersion: 'v1.4.0',
        deployedVersion: '7',
        previousVersion: '6',
      },
    ]);

    const order = lambdaMock.calls().map((c) => c.args[0].constructor.name);
    expect(order).toEqual([
      'GetAliasCommand',
      'UpdateFunctionCodeCommand',
      'GetFunctionCommand',
      'GetFunctionCommand',
      'PublishVersionCommand',
      'InvokeCommand',
      'UpdateAliasCommand',
    ]);
    expect(lambdaMock).toHaveReceivedCommandWith(UpdateFunctionCodeCommand, {
      FunctionName: 'price-fetcher-qa',
      S3Bucket: 'vault',
      S3Key: 'v1.4.0/price-fetcher.zip',
      Publish: false,
    });
    expect(lambdaMock).toHaveReceivedCommandWith(PublishVersionCommand, {
      FunctionName: 'price-fetcher-qa',
      CodeSha256: codeSha,
    });
    expect(lambdaMock).toHaveReceivedCommandWith(UpdateAliasCommand, {
      FunctionName: 'price-fetcher-qa',
      Name: 'live',
      FunctionVersion: '7',
    });
    const invoke = lambdaMock.commandCalls(InvokeCommand)[0]!.args[0].input;
    // The published version itself, not the alias: callers of live never reach an untested version.
    expect(invoke.Qualifier).toBe('7');
    expect(JSON.parse(Buffer.from(invoke.Payload as Uint8Array).toString())).toEqual({ health_check: true });

    const records = (await t.vault.listPromotions('v1.4.0')).filter((r) => r.environment === 'qa');
    expect(records.map((r) => r.result)).toEqual(['deployed', 'smoke-passed']);
    expect(records[1]).toMatchObject({
      environment: 'qa',
      actor: 'alice',
      run: 'run-7',
      commit: COMMIT,
      functions: [
        { functionName: 'price-fetcher-qa', sha256: manifest.files[0]!.sha256, deployedVersion: '7' },
      ],
    });
  });

  it('when Lambda reports a different CodeSha256, nothing is published and the alias is not moved', async () => {
    lambdaMock.on(UpdateFunctionCodeCommand).resolves({ CodeSha256: 'AAAA' });
    await expect(deploy()).rejects.toThrow(DeploymentError);
    expect(lambdaMock).not.toHaveReceivedCommand(PublishVersionCommand);
    expect(lambdaMock).not.toHaveReceivedCommand(UpdateAliasCommand);
    const records = (await t.vault.listPromotions('v1.4.0')).filter((r) => r.environment === 'qa');
    expect(records.map((r) => r.result)).toEqual(['deploy-failed']);
    expect(records[0]!.note).toContain('expected ' + codeSha);
  });

  it('when the code update fails, the SDK waiter stops and the reason is reported; nothing is published', async () => {
    lambdaMock.on(GetFunctionCommand).resolves({
      Configuration: { LastUpdateStatus: 'Failed', LastUpdateStatusReason: 'KMS key disabled' },
    });
    await expect(deploy()).rejects.toThrow('price-fetcher-qa: code update failed: KMS key disabled');
    expect(lambdaMock).not.toHaveReceivedCommand(PublishVersionCommand);
  });

  it('when the code update never finishes, the waiter gives up after its maxWaitTime', async () => {
    lambdaMock.on(GetFunctionCommand).resolves({ Configuration: { LastUpdateStatus: 'InProgress' } });
    const slow = new AwsLambdaTarget({
      lambda,
      codeSource: 's3',
      updateWaiter: { minDelay: 0.01, maxDelay: 0.01, maxWaitTime: 0.05 },
    });
    await expect(
      deployVersion({
        vault: t.vault.forStage('qa'),
        target: slow,
        env: 'qa',
        version: 'v1.4.0',
        actor: 'a',
        run: 'r',
      }),
    ).rejects.toThrow('price-fetcher-qa: code update failed: still InProgress (TimeoutError)');
    expect(lambdaMock).not.toHaveReceivedCommand(PublishVersionCommand);
  });

  it('when the smoke test of the published version crashes (FunctionError), live never moves and deploy fails', async () => {
    lambdaMock.on(InvokeCommand).resolves({
      StatusCode: 200,
      FunctionError: 'Unhandled',
      Payload: payload({ errorType: 'TypeError', errorMessage: 'boom' }),
    });
    await expect(deploy()).rejects.toThrow(SmokeTestError);
    expect(lambdaMock).not.toHaveReceivedCommand(UpdateAliasCommand);
    const records = await t.vault.listPromotions('v1.4.0');
    expect(records.filter((r) => r.environment === 'qa').map((r) => r.result)).toEqual([
      'deployed',
      'smoke-failed',
    ]);
    expect(records.at(-1)!.functions[0]).toMatchObject({ deployedVersion: '7' });
    expect(records.at(-1)!.note).toContain('live not moved; price-fetcher-qa: function error (Unhandled)');
  });

  it('when the health check answers 5xx, live stays on the previous version', async () => {
    lambdaMock
      .on(InvokeCommand)
      .resolves({ StatusCode: 200, Payload: payload({ statusCode: 503, body: '{}' }) });
    await expect(deploy()).rejects.toThrow(/smoke test failed in qa for v1.4.0 \(live never moved\)/);
    expect(lambdaMock).not.toHaveReceivedCommand(UpdateAliasCommand);
  });

  it('on a first deployment the alias is created only after the published version passed; a failure creates none', async () => {
    lambdaMock
      .on(GetAliasCommand)
      .rejects(new ResourceNotFoundException({ message: 'Alias not found', $metadata: {} }));
    lambdaMock.on(CreateAliasCommand).resolves({});
    lambdaMock.on(InvokeCommand).rejectsOnce(new Error('socket hang up')).resolves(HEALTHY);
    await expect(deploy()).rejects.toThrow(/invoke failed/);
    expect(lambdaMock).not.toHaveReceivedCommand(CreateAliasCommand);

    await deploy();
    expect(lambdaMock).toHaveReceivedCommandWith(CreateAliasCommand, { Name: 'live', FunctionVersion: '7' });
  });

  describe('PROD: live moves through a CodeDeploy canary', () => {
    beforeEach(async () => {
      await recordPass(t.vault, manifest, 'qa');
      await recordPass(t.vault, manifest, 'uat');
      codeDeployMock.on(CreateDeploymentCommand).resolves({ deploymentId: 'd-CANARY1' });
    });

    it('creates a deployment of pricing-prod/price-fetcher-prod with the Lambda AppSpec and waits for it with the SDK waiter', async () => {
      codeDeployMock
        .on(GetDeploymentCommand)
        .resolvesOnce({ deploymentInfo: { status: 'InProgress' } })
        .resolves({ deploymentInfo: { status: 'Succeeded' } });
      const lines: string[] = [];
      await deployVersion({
        vault: t.vault.forStage('prod'),
        target: target('s3', true),
        env: 'prod',
        version: 'v1.4.0',
        actor: 'alice',
        run: 'run-9',
        log: (l) => lines.push(l),
      });

      const input = codeDeployMock.commandCalls(CreateDeploymentCommand)[0]!.args[0].input;
      expect(input).toMatchObject({
        applicationName: 'pricing-prod',
        deploymentGroupName: 'price-fetcher-prod',
      });
      expect(input.revision?.revisionType).toBe('AppSpecContent');
      const content = input.revision!.appSpecContent!.content!;
      expect(content).toBe(lambdaAppSpec('price-fetcher-prod', '6', '7'));
      expect(content.startsWith('{"version":0.0,')).toBe(true);
      expect(JSON.parse(content).Resources[0]['price-fetcher-prod']).toEqual({
        Type: 'AWS::Lambda::Function',
        Properties: { Name: 'price-fetcher-prod', Alias: 'live', CurrentVersion: '6', TargetVersion: '7' },
      });
      expect(codeDeployMock.commandCalls(GetDeploymentCommand)).toHaveLength(2);
      // CodeDeploy moves the alias; the tool never does in PROD, and the smoke test ran before.
      expect(lambdaMock).not.toHaveReceivedCommand(UpdateAliasCommand);
      expect(lambdaMock.commandCalls(InvokeCommand)[0]!.args[0].input.Qualifier).toBe('7');
      expect(lines).toContain(
        'canary price-fetcher-prod: CodeDeploy d-CANARY1 (pricing-prod/price-fetcher-prod) moves 10% of live to version 7 for 5 minutes, then 100%',
      );
      const prod = (await t.vault.listPromotions('v1.4.0')).filter((r) => r.environment === 'prod');
      expect(prod.map((r) => r.result)).toEqual(['deployed', 'smoke-passed']);
    });

    it('when an alarm stops the canary, the rollback is reported with the alarm and recorded as deploy-failed', async () => {
      codeDeployMock.on(GetDeploymentCommand).resolves({
        deploymentInfo: {
          status: 'Stopped',
          errorInformation: {
            code: 'ALARM_ACTIVE',
            message: 'One or more alarms have been activated: price-fetcher-prod-Errors',
          },
          rollbackInfo: { rollbackMessage: 'Automatic rollback d-ROLLBK1 restored version 6' },
        },
      });
      await expect(deploy('prod')).rejects.toThrow(TrafficShiftError);
      const prod = (await t.vault.listPromotions('v1.4.0')).filter((r) => r.environment === 'prod');
      expect(prod.map((r) => r.result)).toEqual(['deployed', 'deploy-failed']);
      expect(prod[1]!.note).toBe(
        'price-fetcher-prod: CodeDeploy d-CANARY1 Stopped and rolled back (ALARM_ACTIVE: One or more alarms have been ' +
          'activated: price-fetcher-prod-Errors); Automatic rollback d-ROLLBK1 restored version 6',
      );
      expect(prod[1]!.functions[0]).toMatchObject({ deployedVersion: '7', rolledBackTo: '6' });
      // Belt and braces: the tool points live at the previous version too.
      expect(lambdaMock).toHaveReceivedCommandWith(UpdateAliasCommand, { FunctionVersion: '6' });
      // The later failure outranks the pass before it: DR cannot follow.
      await expect(deploy('dr', 'bytes')).rejects.toThrow(
        /^v1\.4\.0 cannot be deployed to dr: price-fetcher\.zip has not passed prod \(its latest prod record, at \S+, is deploy-failed\)$/,
      );
    });
  });

  it('DR uploads the verified zip bytes (its region cannot read the vault bucket) in us-west-2', async () => {
    await recordPass(t.vault, manifest, 'prod');
    await deploy('dr', 'bytes');
    const input = lambdaMock.commandCalls(UpdateFunctionCodeCommand)[0]!.args[0].input;
    expect(input.FunctionName).toBe('price-fetcher-dr');
    expect(input.S3Bucket).toBeUndefined();
    const zip = await t.vault.fetchVerified('v1.4.0', manifest.files[0]!);
    expect(Buffer.from(input.ZipFile as Uint8Array).equals(zip.bytes)).toBe(true);
    expect(regionFor('dr')).toBe(DR_REGION);
    expect(regionFor('prod')).toBe(PRIMARY_REGION);
  });

  it('with a versioned vault, Lambda is pinned to the exact S3 object version that was verified', async () => {
    const artifact = { ...(await t.vault.fetchVerified('v1.4.0', manifest.files[0]!)), s3VersionId: 'v-42' };
    await target().publish({
      baseName: 'price-fetcher',
      env: 'prod',
      functionName: 'price-fetcher-prod',
      releaseVersion: 'v1.4.0',
      artifact,
    });
    expect(lambdaMock).toHaveReceivedCommandWith(UpdateFunctionCodeCommand, {
      FunctionName: 'price-fetcher-prod',
      S3Bucket: 'vault',
      S3Key: 'v1.4.0/price-fetcher.zip',
      S3ObjectVersion: 'v-42',
    });
  });

  it('a deployment that would skip a stage is refused before anything is touched', async () => {
    await expect(deploy('dr', 'bytes')).rejects.toThrow(
      'v1.4.0 cannot be deployed to dr: price-fetcher.zip has not passed prod (no smoke-passed record in the vault)',
    );
    expect(lambdaMock.calls()).toHaveLength(0);
  });

  it('verify (the read-only health check) passes a 200 and fails a crash, a 5xx or a non-answer', async () => {
    lambdaMock
      .on(InvokeCommand)
      .resolvesOnce(HEALTHY)
      .resolvesOnce({ StatusCode: 200, FunctionError: 'Unhandled', Payload: payload({}) })
      .resolvesOnce({ StatusCode: 200, Payload: payload({ statusCode: 500 }) })
      .resolvesOnce({ StatusCode: 200, Payload: payload(null) });
    const results = [];
    for (let i = 0; i < 4; i += 1)
      results.push(await invokeHealthCheck(lambda, 'price-fetcher-prod', 'live'));
    expect(results.map((r) => r.ok)).toEqual([true, false, false, false]);
    expect(results[1]!.detail).toContain('function error (Unhandled)');
    expect(results[2]!.detail).toBe('statusCode 500');
    // Read-only: a health check never touches code, versions or aliases.
    expect(lambdaMock.calls().every((c) => c.args[0] instanceof InvokeCommand)).toBe(true);
  });
});
