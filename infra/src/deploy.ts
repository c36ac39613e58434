import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ChangeSetFailedError, deployStack } from './deploy-stack.ts';

/** CloudFormation accepts a template body up to this size; larger ones must come from S3. */
export const MAX_TEMPLATE_BODY_BYTES = 51_200;

export interface StackArtifact {
  stackName: string;
  account: string;
  region: string;
  templateFile: string;
  /** Where the CDK bootstrap expects the template (the asset manifest's destination), placeholders resolved. */
  templateDestination?: { bucket: string; key: string };
  /** File assets other than the template itself (there must be none: code comes from the vault). */
  otherFileAssets: string[];
  /** The CDK bootstrap's CloudFormation execution role, which CloudFormation acts as for this stack. */
  executionRoleArn?: string | undefined;
}

interface Manifest {
  artifacts: Record<
    string,
    {
      type: string;
      environment?: string;
      properties?: { templateFile?: string; stackName?: string; cloudFormationExecutionRoleArn?: string };
      dependencies?: string[];
    }
  >;
}
interface AssetManifest {
  files?: Record<
    string,
    {
      source: { path?: string; packaging?: string };
      destinations: Record<string, { bucketName: string; objectKey: string }>;
    }
  >;
}

/** Reads one stack of a synthesized cloud assembly (cdk.out) and its asset manifest. */
export const readStackArtifact = (assemblyDir: string, stackName: string): StackArtifact => {
  const manifest = JSON.parse(readFileSync(join(assemblyDir, 'manifest.json'), 'utf8')) as Manifest;
  const entry = Object.entries(manifest.artifacts).find(
    ([id, a]) => a.type === 'aws:cloudformation:stack' && (a.properties?.stackName ?? id) === stackName,
  );
  if (!entry) throw new Error(`${stackName} is not in ${assemblyDir}; run npm run synth first`);
  const [id, artifact] = entry;
  const match = /^aws:\/\/(\d{12})\/([a-z0-9-]+)$/.exec(artifact.environment ?? '');
  if (!match?.[1] || !match[2])
    throw new Error(`${stackName}: the stack needs an explicit account and region`);
  const [, account, region] = match;
  const templateFile = artifact.properties?.templateFile ?? `${id}.template.json`;
  const assetsId = (artifact.dependencies ?? []).find(
    (d) => manifest.artifacts[d]?.type === 'cdk:asset-manifest',
  );
  const assets: AssetManifest = assetsId
    ? (JSON.parse(readFileSync(join(assemblyDir, `${assetsId}.json`), 'utf8')) as AssetManifest)
    : {};
  let templateDestination: StackArtifact['templateDestination'];
  const otherFileAssets: string[] = [];
  for (const [hash, file] of Object.entries(assets.files ?? {})) {
    if (file.source.path === templateFile) {
      const destination = Object.values(file.destinations)[0];
      if (destination) {
        const fill = (s: string) =>
          s.replaceAll('${AWS::AccountId}', account).replaceAll('${AWS::Region}', region);
        templateDestination = { bucket: fill(destination.bucketName), key: fill(destination.objectKey) };
      }
    } else {
      otherFileAssets.push(`${hash} (${file.source.path ?? '?'})`);
    }
  }
  const partition = region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
  const executionRoleArn = artifact.properties?.cloudFormationExecutionRoleArn
    ?.replaceAll('${AWS::Partition}', partition)
    .replaceAll('${AWS::AccountId}', account)
    .replaceAll('${AWS::Region}', region);
  return { stackName, account, region, templateFile, templateDestination, otherFileAssets, executionRoleArn };
};

const USAGE =
  'usage: npm run deploy -- --env <dev|qa|uat|prod|dr> | --stack <stack name> [--assembly cdk.out]';

const main = async (): Promise<void> => {
  const { values } = parseArgs({
    options: {
      env: { type: 'string' },
      stack: { type: 'string' },
      assembly: { type: 'string', default: 'cdk.out' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || (!values.env && !values.stack)) {
    console.log(USAGE);
    process.exitCode = values.help ? 0 : 2;
    return;
  }
  const stackName = values.stack ?? `pricing-${values.env}`;
  const assembly = resolve(values.assembly);
  const artifact = readStackArtifact(assembly, stackName);
  if (artifact.otherFileAssets.length > 0) {
    throw new Error(
      `${stackName} has file assets (${artifact.otherFileAssets.join(', ')}); this deploy only ships the template`,
    );
  }
  const body = readFileSync(join(assembly, artifact.templateFile));
  const cfn = new CloudFormationClient({ region: artifact.region });
  let template: { templateUrl: string } | { templateBody: string };
  if (body.length <= MAX_TEMPLATE_BODY_BYTES) {
    template = { templateBody: body.toString('utf8') };
  } else {
    // Too large for a body: upload it where the CDK bootstrap expects it (the template's own asset entry).
    const destination = artifact.templateDestination;
    if (!destination)
      throw new Error(
        `${stackName}: the template is over ${MAX_TEMPLATE_BODY_BYTES} bytes and has no S3 destination`,
      );
    const s3 = new S3Client({ region: artifact.region });
    await s3.send(
      new PutObjectCommand({
        Bucket: destination.bucket,
        Key: destination.key,
        Body: body,
        ContentType: 'application/json',
        ChecksumSHA256: createHash('sha256').update(body).digest('base64'),
      }),
    );
    template = {
      templateUrl: `https://${destination.bucket}.s3.${artifact.region}.amazonaws.com/${destination.key}`,
    };
  }
  console.log(
    `${stackName}: account ${artifact.account}, region ${artifact.region}, template ${artifact.templateFile} (${body.length} bytes)`,
  );
  try {
    await deployStack(cfn, {
      stackName,
      ...template,
      ...(artifact.executionRoleArn ? { executionRoleArn: artifact.executionRoleArn } : {}),
    });
  } catch (error) {
    if (error instanceof ChangeSetFailedError) {
      console.error(error.message);
      process.exitCode = 1;
      return;
    }
    throw error;
  }
};

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
