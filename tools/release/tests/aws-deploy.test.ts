import {
  CreateAliasCommand,
  DeleteAliasCommand,
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
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { DR_REGION, PRIMARY_REGION, regionFor } from '../constants.ts';
import type { Manifest } from '../model.ts';
import { deployVersion } from '../deploy.ts';
import { AwsLambdaTarget, invokeHealthCheck } from '../deploy-targets/aws-lambda.ts';
import { DeploymentError, SmokeTestError } from '../errors.ts';
import { HEALTHY_HANDLER, makeDist, startTestVault, steppingClock } from '#testing/release-fixtures.ts';

const lambdaMock = mockClient(LambdaClient);
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
  const target = (codeSource: 's3' | 'bytes' = 's3') =>
    new AwsLambdaTarget({ lambda, codeSource, sleep: async () => {}, maxPolls: 5 });
  const deploy = (env: 'qa' | 'dr' = 'qa', codeSource: 's3' | 'bytes' = 's3') =>
    deployVersion({
      vault: t.vault,
      target: target(codeSource),
      env,
      version: 'v1.4.0',
      actor: 'alice',
      run: 'run-7',
    });

  beforeEach(async () => {
    lambdaMock.reset();
    t = await startTestVault('vault', steppingClock());
    const dist = await makeDist({ 'price-fetcher': HEALTHY_HANDLER });
    manifest = await t.vault.upload({ version: 'v1.4.0', distDir: dist, commit: COMMIT, builder: 'ci' });
    codeSha = Buffer.from(manifest.files[0]!.sha256, 'hex').toString('base64');

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

  it('updates the code from the verified vault object, waits, publishes with the expected CodeSha256 and moves live', async () => {
    const outcome = await deploy();
    expect(outcome.deployments).toEqual([
      { functionName: 'price-fetcher-qa', deployedVersion: '7', previousVersion: '6' },
    ]);

    const order = lambdaMock.calls().map((c) => c.args[0].constructor.name);
    expect(order).toEqual([
      'GetAliasCommand',
      'UpdateFunctionCodeCommand',
      'GetFunctionCommand',
      'GetFunctionCommand',
      'PublishVersionCommand',
      'UpdateAliasCommand',
      'InvokeCommand',
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
    expect(invoke.Qualifier).toBe('live');
    expect(JSON.parse(Buffer.from(invoke.Payload as Uint8Array).toString())).toEqual({ health_check: true });

    const records = await t.vault.listPromotions('v1.4.0');
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
    const records = await t.vault.listPromotions('v1.4.0');
    expect(records.map((r) => r.result)).toEqual(['deploy-failed']);
    expect(records[0]!.note).toContain('expected ' + codeSha);
  });

  it('when the code update fails, the reason is reported and nothing is published', async () => {
    lambdaMock.on(GetFunctionCommand).resolves({
      Configuration: { LastUpdateStatus: 'Failed', LastUpdateStatusReason: 'KMS key disabled' },
    });
    await expect(deploy()).rejects.toThrow('price-fetcher-qa: code update failed: KMS key disabled');
    expect(lambdaMock).not.toHaveReceivedCommand(PublishVersionCommand);
  });

  it('when the smoke test crashes (FunctionError), live moves back to the previous version and deploy fails', async () => {
    lambdaMock.on(InvokeCommand).resolves({
      StatusCode: 200,
      FunctionError: 'Unhandled',
      Payload: payload({ errorType: 'TypeError', errorMessage: 'boom' }),
    });
    await expect(deploy()).rejects.toThrow(SmokeTestError);
    const aliasMoves = lambdaMock
      .commandCalls(UpdateAliasCommand)
      .map((c) => c.args[0].input.FunctionVersion);
    expect(aliasMoves).toEqual(['7', '6']);
    const records = await t.vault.listPromotions('v1.4.0');
    expect(records.map((r) => r.result)).toEqual(['deployed', 'smoke-failed']);
    expect(records[1]!.functions[0]).toMatchObject({ deployedVersion: '7', rolledBackTo: '6' });
    expect(records[1]!.note).toContain('function error (Unhandled)');
  });

  it('when the health check answers 5xx, the deployment is rolled back', async () => {
    lambdaMock
      .on(InvokeCommand)
      .resolves({ StatusCode: 200, Payload: payload({ statusCode: 503, body: '{}' }) });
    await expect(deploy()).rejects.toThrow(/smoke test failed in qa for v1.4.0 \(alias rolled back\)/);
    expect(lambdaMock.commandCalls(UpdateAliasCommand).at(-1)!.args[0].input.FunctionVersion).toBe('6');
  });

  it('on a first deployment the alias is created, and removed again if the smoke test fails', async () => {
    lambdaMock
      .on(GetAliasCommand)
      .rejects(new ResourceNotFoundException({ message: 'Alias not found', $metadata: {} }));
    lambdaMock.on(CreateAliasCommand).resolves({});
    lambdaMock.on(DeleteAliasCommand).resolves({});
    lambdaMock.on(InvokeCommand).rejects(new Error('socket hang up'));
    await expect(deploy()).rejects.toThrow(/invoke failed/);
    expect(lambdaMock).toHaveReceivedCommandWith(CreateAliasCommand, { Name: 'live', FunctionVersion: '7' });
    expect(lambdaMock).toHaveReceivedCommandWith(DeleteAliasCommand, {
      FunctionName: 'price-fetcher-qa',
      Name: 'live',
    });
  });

  it('DR uploads the verified zip bytes (its region cannot read the vault bucket) in us-west-2', async () => {
    await t.vault.recordPromotion({
      version: 'v1.4.0',
      environment: 'prod',
      result: 'smoke-passed',
      actor: 'alice',
      at: t.vault.now().toISOString(),
      run: 'run-6',
      functions: [],
    });
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
    await target().deploy({
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
      'v1.4.0 cannot be deployed to dr: it has not passed prod (no smoke-passed record in the vault)',
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
