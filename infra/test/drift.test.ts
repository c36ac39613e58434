import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ENVIRONMENTS } from '../src/config.ts';
import { deployedEnvironment, LOCAL_ONLY_VARIABLES } from '../src/environment.ts';
import { readTemplate, TEMPLATE_PATH } from '../src/template.ts';
import { yamlParse } from 'yaml-cfn';
import { asArray, resourcesOf, synthesized } from './helpers.ts';

/**
 * infra-local/local-debug.yaml and the CDK app are one description: functions, routes, environment variable
 * names and the authorizer. These tests read the template on their own and compare it with what was synthesized.
 */
const template = readTemplate();
const { stages } = synthesized();

type Json = Record<string, unknown>;

/** METHOD /path of every API Gateway method, rebuilt from the synthesized resource tree, with its authorizer. */
const synthesizedRoutes = (env: (typeof ENVIRONMENTS)[number]) => {
  const t = stages[env];
  const resources = Object.fromEntries(resourcesOf(t, 'AWS::ApiGateway::Resource'));
  const pathOf = (ref: unknown): string => {
    const id = (ref as { Ref?: string }).Ref;
    if (!id) return '';
    const r = resources[id];
    if (!r) throw new Error(`unknown resource ${id}`);
    return `${pathOf(r.ParentId)}/${String(r.PathPart)}`;
  };
  const lambdaOf = (integration: Json): string => JSON.stringify(integration.Uri);
  return resourcesOf(t, 'AWS::ApiGateway::Method').map(([, m]) => ({
    route: `${String(m.HttpMethod)} ${pathOf(m.ResourceId) || '/'}`,
    authorizationType: m.AuthorizationType,
    authorizerId: m.AuthorizerId,
    integration: lambdaOf(m.Integration as Json),
  }));
};

describe('the template and the stacks describe the same service', () => {
  test('the template declares price-fetcher, config-service and the authorizer, with the TOKEN authorizer on Authorization, 60 s', () => {
    assert.deepEqual(template.functions.map((f) => f.name).sort(), [
      'authorizer',
      'config-service',
      'price-fetcher',
    ]);
    assert.deepEqual(template.authorizer, {
      functionLogicalId: 'AuthorizerFunction',
      header: 'Authorization',
      ttlSeconds: 60,
      isDefault: true,
    });
  });

  test("every template route exists in every stage's API, behind the authorizer, integrated with its own function", () => {
    for (const env of ENVIRONMENTS) {
      // OPTIONS is the gateway's own CORS preflight on each of these resources (test/api-gateway.test.ts).
      const routes = synthesizedRoutes(env).filter((r) => !r.route.startsWith('OPTIONS '));
      const expected = template.functions.flatMap((f) =>
        f.routes.map((r) => ({ route: `${r.method} ${r.path}`, fn: f })),
      );
      assert.deepEqual(
        routes.map((r) => r.route).sort(),
        expected.map((e) => e.route).sort(),
        `${env}: same routes`,
      );
      for (const { route, fn } of expected) {
        const method = routes.find((r) => r.route === route)!;
        assert.equal(method.authorizationType, 'CUSTOM', `${env} ${route}`);
        assert.ok(method.authorizerId, `${env} ${route} has the authorizer`);
        assert.match(
          method.integration,
          new RegExp(`${fn.logicalId}Live`),
          `${env} ${route} calls ${fn.name}:live`,
        );
      }
    }
  });

  test('every template variable name, minus the local-only ones, is set on the deployed function, and nothing else is', () => {
    for (const env of ENVIRONMENTS) {
      const functions = resourcesOf(stages[env], 'AWS::Lambda::Function');
      for (const fn of template.functions) {
        const [, props] = functions.find(([, p]) => p.FunctionName === `${fn.name}-${env}`) ?? [];
        assert.ok(props, `${fn.name}-${env} is deployed`);
        const deployed = Object.keys((props.Environment as { Variables: Json }).Variables).sort();
        const expected = Object.keys(fn.environment)
          .filter((name) => !(LOCAL_ONLY_VARIABLES as readonly string[]).includes(name))
          .sort();
        assert.deepEqual(deployed, expected, `${fn.name}-${env}`);
      }
    }
  });

  test("each statement of a function's Policies in the template (sam local ignores them) is the deployed role's statement of that Sid", () => {
    const raw = yamlParse(readFileSync(TEMPLATE_PATH, 'utf8')) as {
      Resources: Record<string, { Properties: Json }>;
    };
    const checked: string[] = [];
    for (const env of ENVIRONMENTS) {
      const policies = resourcesOf(stages[env], 'AWS::IAM::ManagedPolicy');
      for (const fn of template.functions) {
        const declared = asArray(raw.Resources[fn.logicalId]!.Properties.Policies as Json | Json[]);
        if (declared.length === 0) continue;
        const [, policy] = policies.find(([id]) => id.startsWith(`${fn.logicalId}Policy`)) ?? [];
        assert.ok(policy, `${fn.logicalId}: deployed policy in ${env}`);
        const deployed = (policy.PolicyDocument as { Statement: Json[] }).Statement;
        for (const doc of declared) {
          assert.equal(
            typeof doc,
            'object',
            `${fn.logicalId}: inline statements only, so they can be compared`,
          );
          for (const statement of asArray(doc.Statement as Json | Json[])) {
            const twin = deployed.find((s) => s.Sid === statement.Sid);
            assert.ok(twin, `${env} ${fn.logicalId}: no deployed statement ${String(statement.Sid)}`);
            assert.equal(twin.Effect, statement.Effect);
            assert.deepEqual(
              asArray(twin.Action as string | string[]).sort(),
              asArray(statement.Action as string | string[]).sort(),
              `${env} ${fn.logicalId} ${String(statement.Sid)}: actions`,
            );
            // `!Sub arn:...:table/<name>-${Stage}` is the stage's table of that name, by its ARN.
            const sub = String((statement.Resource as Json | undefined)?.['Fn::Sub']);
            const tableName = /:table\/([\w.-]+-)\$\{Stage\}$/.exec(sub)?.[1];
            assert.ok(
              tableName,
              `${fn.logicalId} ${String(statement.Sid)}: Resource must be a table ARN by stage`,
            );
            const tables = resourcesOf(stages[env], 'AWS::DynamoDB::Table').filter(
              ([, props]) => props.TableName === `${tableName}${env}`,
            );
            assert.equal(tables.length, 1, `${env}: table ${tableName}${env}`);
            assert.deepEqual(twin.Resource, { 'Fn::GetAtt': [tables[0]![0], 'Arn'] });
            checked.push(
              `${env} ${fn.name} ${String(statement.Sid)} ${asArray(statement.Action as string).join(',')}`,
            );
          }
        }
      }
    }
    assert.ok(checked.includes('prod price-fetcher ConfigReadOnly dynamodb:Query'), checked.join('; '));
  });

  test('a variable the template gains without a production value fails synth with its name', () => {
    const fn = template.functions.find((f) => f.name === 'price-fetcher')!;
    assert.throws(
      () =>
        deployedEnvironment(
          { ...fn, environment: { ...fn.environment, NEW_SETTING: 'x' } },
          { settings: stageSettings(), version: 'v0.0.0', oracleSecretArn: 'arn' },
        ),
      /NEW_SETTING from the template has no production value/,
    );
  });

  test('the reader accepts the authorizer on an AWS::Serverless::Api resource as well as Globals.Api', () => {
    const text = readFileSync(TEMPLATE_PATH, 'utf8');
    const globalsAuth = text.slice(text.indexOf('    Auth:'), text.indexOf('  Function:'));
    const moved =
      text.replace(globalsAuth, '') +
      `\n  PricingApi:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: local\n${globalsAuth.replace(/^ {4}/gm, '      ')}`;
    const dir = mkdtempSync(join(tmpdir(), 'pricing-template-'));
    const file = join(dir, 'local-debug.yaml');
    writeFileSync(file, moved);
    assert.deepEqual(readTemplate(file).authorizer, template.authorizer);
  });
});

const stageSettings = () => ({
  env: 'dev' as const,
  account: '111111111111',
  region: 'us-east-1',
  corsOrigin: 'https://example.com',
  oracleConnectString: 'db:1521/X',
  oracleUser: 'u',
  jwksUrl: 'https://i/jwks',
  tokenIssuer: 'https://i',
  tokenAudience: 'pricing-api',
  rolesClaim: 'roles',
  alarmEmail: undefined,
});
