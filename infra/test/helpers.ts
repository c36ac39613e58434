import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp, type PricingApp } from '../src/app.ts';
import { ENVIRONMENTS, type Environment } from '../src/config.ts';

export interface Synthesized {
  built: PricingApp;
  shared: Template;
  replica: Template;
  stages: Record<Environment, Template>;
}

let cached: Synthesized | undefined;

/** The whole app, built once per test file with default context, and a Template per stack. */
export const synthesized = (): Synthesized => {
  if (cached) return cached;
  const built = buildApp({ outdir: mkdtempSync(join(tmpdir(), 'pricing-infra-')) });
  const stages = {} as Record<Environment, Template>;
  for (const env of ENVIRONMENTS) stages[env] = Template.fromStack(built.stages[env]);
  cached = {
    built,
    shared: Template.fromStack(built.shared),
    replica: Template.fromStack(built.replica),
    stages,
  };
  return cached;
};

type Json = Record<string, unknown>;

/** Every policy statement of a template: IAM policies and roles, bucket, key and topic policies. */
export const allStatements = (template: Template): { resource: string; type: string; statement: Json }[] => {
  const out: { resource: string; type: string; statement: Json }[] = [];
  const resources = template.toJSON().Resources as Record<string, { Type: string; Properties?: Json }>;
  const push = (resource: string, type: string, doc: unknown) => {
    const statements = (doc as { Statement?: Json[] } | undefined)?.Statement ?? [];
    for (const statement of statements) out.push({ resource, type, statement });
  };
  for (const [id, { Type, Properties = {} }] of Object.entries(resources)) {
    if (Type === 'AWS::IAM::ManagedPolicy' || Type === 'AWS::IAM::Policy')
      push(id, Type, Properties.PolicyDocument);
    if (Type === 'AWS::IAM::Role') {
      push(id, `${Type} (trust)`, Properties.AssumeRolePolicyDocument);
      for (const p of (Properties.Policies as { PolicyDocument: unknown }[] | undefined) ?? [])
        push(id, Type, p.PolicyDocument);
    }
    if (Type === 'AWS::S3::BucketPolicy' || Type === 'AWS::SNS::TopicPolicy')
      push(id, Type, Properties.PolicyDocument);
    if (Type === 'AWS::KMS::Key') push(id, Type, Properties.KeyPolicy);
  }
  return out;
};

export const asArray = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** Logical ids of the resources of a type whose properties satisfy a predicate. */
export const resourcesOf = (template: Template, type: string): [string, Json][] =>
  Object.entries(template.findResources(type)).map(([id, r]) => [id, ((r as Json).Properties ?? {}) as Json]);
