import { readFileSync } from 'node:fs';
import { yamlParse } from 'yaml-cfn';
import { LOG_RETENTION_DAYS_BY_STAGE } from '#common/constants/retention.ts';
import { templatePath } from '#build/paths.ts';

type Json = Record<string, unknown>;
const template = yamlParse(readFileSync(templatePath(process.cwd()), 'utf8')) as Json;
const resources = template.Resources as Record<string, { Type: string; Properties: Json }>;
const globals = template.Globals as { Function: Json; Api: Json };

describe('SAM template: tracing and log retention (handbook)', () => {
  it('traces every function and the API with X-Ray', () => {
    expect(globals.Function.Tracing).toBe('Active');
    expect(globals.Api.TracingEnabled).toBe(true);
  });

  it('gives every function its own log group with the stage retention (7 days in dev)', () => {
    const functions = Object.entries(resources).filter(
      ([, resource]) => resource.Type === 'AWS::Serverless::Function',
    );
    expect(functions.length).toBeGreaterThan(0);
    for (const [, fn] of functions) {
      const groupId = ((fn.Properties.LoggingConfig as Json).LogGroup as { Ref: string }).Ref;
      expect(resources[groupId]).toMatchObject({
        Type: 'AWS::Logs::LogGroup',
        Properties: { RetentionInDays: { 'Fn::FindInMap': ['LogRetention', { Ref: 'Stage' }, 'Days'] } },
      });
    }
    const mapping = (template.Mappings as { LogRetention: Record<string, { Days: number }> }).LogRetention;
    expect(Object.fromEntries(Object.entries(mapping).map(([stage, { Days }]) => [stage, Days]))).toEqual(
      LOG_RETENTION_DAYS_BY_STAGE,
    );
    expect(mapping.dev?.Days).toBe(7);
  });
});
