import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { buildApp } from '../src/app.ts';
import { readStackArtifact } from '../src/deploy.ts';

const outdir = () => mkdtempSync(join(tmpdir(), 'pricing-synth-'));

describe('synth with the cdk-nag gate', () => {
  test('all seven stacks synthesize offline with no unacknowledged AwsSolutions or NIST 800-53 r5 finding, and carry no file asset but their template', () => {
    const dir = outdir();
    const { app } = buildApp({ outdir: dir, context: { version: 'v1.2.3' } });
    const assembly = app.synth();
    assert.deepEqual(assembly.stacks.map((s) => s.stackName).sort(), [
      'pricing-dev',
      'pricing-dr',
      'pricing-prod',
      'pricing-qa',
      'pricing-shared',
      'pricing-shared-replica',
      'pricing-uat',
    ]);
    for (const stack of assembly.stacks) {
      const artifact = readStackArtifact(dir, stack.stackName);
      // stack:deploy hands CloudFormation the bootstrap's execution role, resolved for the stack's account.
      assert.match(
        artifact.executionRoleArn ?? '',
        new RegExp(
          `^arn:aws:iam::${artifact.account}:role/cdk-hnb659fds-cfn-exec-role-${artifact.account}-${artifact.region}$`,
        ),
      );
      // Function code comes from the vault bucket: no Lambda zip, no custom-resource handler to publish.
      assert.deepEqual(
        artifact.otherFileAssets,
        [],
        `${stack.stackName} has only its template as a file asset`,
      );
      assert.deepEqual(
        Object.keys(
          JSON.parse(readFileSync(join(dir, `${stack.stackName}.assets.json`), 'utf8')).dockerImages ?? {},
        ),
        [],
      );
      assert.ok(
        artifact.templateDestination?.bucket.includes(artifact.account),
        'the template has a bootstrap destination',
      );
    }
    const prod = JSON.parse(readFileSync(join(dir, 'pricing-prod.template.json'), 'utf8')) as {
      Resources: Record<string, { Type: string; Properties: { Code?: { S3Key?: string } } }>;
    };
    const keys = Object.values(prod.Resources)
      .filter((r) => r.Type === 'AWS::Lambda::Function')
      .map((r) => r.Properties.Code?.S3Key);
    assert.deepEqual(keys.sort(), [
      'v1.2.3/authorizer.zip',
      'v1.2.3/config-service.zip',
      'v1.2.3/price-fetcher.zip',
    ]);
  });

  test('a planted violation (a bucket that accepts plain HTTP, unlogged, unencrypted by KMS) fails synth with the cdk-nag findings named', () => {
    const dir = outdir();
    const { app } = buildApp({ outdir: dir });
    const planted = new Stack(app, 'planted', { env: { account: '111111111111', region: 'us-east-1' } });
    new s3.Bucket(planted, 'Careless', { blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL });
    assert.throws(() => app.synth(), /Validation failed/);
    const reportFile = join(dir, 'validation-report.json');
    assert.ok(existsSync(reportFile));
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as {
      pluginReports: {
        pluginName: string;
        violations: { ruleName: string; violatingConstructs: { constructPath: string }[] }[];
      }[];
    };
    const violations = report.pluginReports.flatMap((p) =>
      p.violations.map((v) => ({ plugin: p.pluginName, ...v })),
    );
    const rules = new Set(violations.map((v) => v.ruleName));
    for (const rule of [
      'AwsSolutions-S10',
      'AwsSolutions-S1',
      'NIST.800.53.R5-S3BucketSSLRequestsOnly',
      'NIST.800.53.R5-S3DefaultEncryptionKMS',
    ]) {
      assert.ok(rules.has(rule), `${rule} reported`);
    }
    // Only the planted stack is at fault: the real stacks stay clean.
    for (const v of violations) {
      for (const c of v.violatingConstructs)
        assert.match(c.constructPath, /^planted\//, `${v.ruleName} on ${c.constructPath}`);
    }
  });
});
