import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import { Template } from 'aws-cdk-lib/assertions';
import nag from 'cdk-nag';
import {
  PREFLIGHT_ALLOWED_HEADERS as LOCAL_ALLOWED_HEADERS,
  PREFLIGHT_MAX_AGE_SECONDS as LOCAL_MAX_AGE_SECONDS,
  preflightHeaders as localPreflightHeaders,
} from '../../infra-local/lite/preflight.ts';
import { buildApp } from '../src/app.ts';
import { ENVIRONMENTS, type Environment } from '../src/config.ts';
import { corsOrigins } from '../src/cors.ts';
import { readTemplate } from '../src/template.ts';
import { resourcesOf, synthesized } from './helpers.ts';

/**
 * The deployed API's own behaviour in front of the functions: no gateway-side request validation (the function
 * validates and audits every refusal), a CORS preflight that needs no token, and an authorizer cache short
 * enough to keep the exp promise of docs/auth.md.
 */
const { built, stages } = synthesized();
const template = readTemplate();

type Json = Record<string, unknown>;

/** `METHOD /path` → the method's properties, with the path rebuilt from the resource tree. */
const methodsOf = (t: Template): Map<string, Json> => {
  const resources = Object.fromEntries(resourcesOf(t, 'AWS::ApiGateway::Resource'));
  const pathOf = (ref: unknown): string => {
    const id = (ref as { Ref?: string }).Ref;
    const r = id ? resources[id] : undefined;
    return r ? `${pathOf(r.ParentId)}/${String(r.PathPart)}` : '';
  };
  return new Map(
    resourcesOf(t, 'AWS::ApiGateway::Method').map(([, m]) => [
      `${String(m.HttpMethod)} ${pathOf(m.ResourceId) || '/'}`,
      m,
    ]),
  );
};

/** The template's routes grouped by resource path: the methods each path serves. */
const routedPaths = (): Map<string, string[]> => {
  const paths = new Map<string, string[]>();
  for (const fn of template.functions)
    for (const route of fn.routes) paths.set(route.path, [...(paths.get(route.path) ?? []), route.method]);
  return paths;
};

/** The single integration response of a preflight: its header values and response template. */
const preflightAnswer = (method: Json) => {
  const integration = method.Integration as {
    Type: string;
    IntegrationResponses: {
      StatusCode: string;
      ResponseParameters: Json;
      ResponseTemplates?: Record<string, string>;
    }[];
  };
  assert.equal(integration.Type, 'MOCK');
  assert.equal(integration.IntegrationResponses.length, 1);
  const [response] = integration.IntegrationResponses;
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(response!.ResponseParameters)) {
    headers[key.replace('method.response.header.', '')] = String(value).replace(/^'|'$/g, '');
  }
  return {
    status: response!.StatusCode,
    headers,
    template: response!.ResponseTemplates?.['application/json'],
  };
};

/** A stage stack built with one context value changed (`dev.corsOrigin`, ...), as `npm run synth -c` would. */
const stageWith = (env: Environment, context: Record<string, string>): Template => {
  const { stages: other } = buildApp({ outdir: mkdtempSync(join(tmpdir(), 'pricing-api-')), context });
  return Template.fromStack(other[env]);
};

describe('no request validation at the gateway: every input reaches the function that validates and audits it', () => {
  test('no stage has a request validator or a request model', () => {
    for (const env of ENVIRONMENTS) {
      stages[env].resourceCountIs('AWS::ApiGateway::RequestValidator', 0);
      stages[env].resourceCountIs('AWS::ApiGateway::Model', 0);
    }
  });

  test('GET /price requires no query parameter, and PUT /config/{key} no body model, so API Gateway cannot answer them with its own 400', () => {
    for (const env of ENVIRONMENTS) {
      const methods = methodsOf(stages[env]);
      for (const route of ['GET /price', 'PUT /config/{key}']) {
        const method = methods.get(route);
        assert.ok(method, `${env} ${route} exists`);
        assert.equal(method.RequestValidatorId, undefined, `${env} ${route}: no validator`);
        assert.equal(method.RequestModels, undefined, `${env} ${route}: no model`);
        const required = Object.entries((method.RequestParameters as Json | undefined) ?? {}).filter(
          ([name, isRequired]) => isRequired === true && !name.startsWith('method.request.path.'),
        );
        assert.deepEqual(required, [], `${env} ${route}: no required query string or header`);
      }
    }
  });
});

describe('CORS preflight', () => {
  test('every resource with routes answers OPTIONS, and no other resource does', () => {
    for (const env of ENVIRONMENTS) {
      const options = [...methodsOf(stages[env]).keys()].filter((route) => route.startsWith('OPTIONS '));
      assert.deepEqual(
        options.sort(),
        [...routedPaths().keys()].map((path) => `OPTIONS ${path}`).sort(),
        env,
      );
    }
  });

  test('no OPTIONS method has an authorizer or an API key: a browser sends the preflight without the token', () => {
    for (const env of ENVIRONMENTS) {
      for (const [route, method] of methodsOf(stages[env])) {
        if (!route.startsWith('OPTIONS ')) continue;
        assert.equal(method.AuthorizationType, 'NONE', `${env} ${route}`);
        assert.equal(method.AuthorizerId, undefined, `${env} ${route}`);
        assert.equal(method.ApiKeyRequired, false, `${env} ${route}`);
      }
    }
  });

  test('the preflight answers 204 with the headers start-api answers: the stage origin, the resource methods, the request headers, max age 600 s', () => {
    for (const env of ENVIRONMENTS) {
      const methods = methodsOf(stages[env]);
      for (const [path, served] of routedPaths()) {
        const answer = preflightAnswer(methods.get(`OPTIONS ${path}`)!);
        const origin = `https://pricing-${env}.example.com`;
        // infra-local/lite/preflight.ts: the lite server's answer for the same origin and methods.
        const local = localPreflightHeaders(origin, served);
        const expected: Record<string, string> = {};
        for (let i = 0; i < local.length; i += 2) expected[local[i]!] = local[i + 1]!;
        assert.equal(answer.status, '204', `${env} ${path}`);
        assert.deepEqual(answer.headers, expected, `${env} ${path}`);
        assert.equal(answer.template, undefined, `${env} ${path}: one origin needs no template`);
      }
    }
    assert.equal(LOCAL_MAX_AGE_SECONDS, 600);
    for (const header of ['authorization', 'content-type', 'x-correlation-id'])
      assert.ok(LOCAL_ALLOWED_HEADERS.toLowerCase().split(',').includes(header), header);
  });

  test("cdk-nag's APIG4 and COG4 rules do not apply to these OPTIONS methods (a 204 CORS preflight), so none is acknowledged", () => {
    for (const env of ENVIRONMENTS) {
      const options = built.stages[env].api.methods.filter((m) => m.httpMethod === 'OPTIONS');
      assert.equal(options.length, routedPaths().size);
      for (const method of options) {
        const cfn = method.node.defaultChild as apigw.CfnMethod;
        assert.equal(nag.rules.apigw.APIGWAuthorization(cfn), nag.NagRuleCompliance.NOT_APPLICABLE);
        assert.equal(
          nag.rules.cognito.CognitoUserPoolAPIGWAuthorizer(cfn),
          nag.NagRuleCompliance.NOT_APPLICABLE,
        );
      }
    }
  });

  test('a list of origins: the preflight echoes the caller Origin when it is listed (one value, never the list); gateway refusals name the first', () => {
    const first = 'https://app.example.com';
    const second = 'https://admin.example.com:8443';
    const t = stageWith('qa', { 'qa.corsOrigin': ` ${first}, ${second} ` });
    for (const [path] of routedPaths()) {
      const answer = preflightAnswer(methodsOf(t).get(`OPTIONS ${path}`)!);
      assert.equal(answer.headers['Access-Control-Allow-Origin'], first, path);
      assert.equal(answer.headers.Vary, 'Origin', path);
      // CDK's response template: the Origin header, compared verbatim with the other listed origins.
      assert.ok(answer.template, `${path} has a response template`);
      assert.match(answer.template, /#set\(\$origin = \$input\.params\(\)\.header\.get\("Origin"\)\)/);
      assert.ok(answer.template.includes(`#if($origin == "${second}")`), answer.template);
      assert.match(
        answer.template,
        /#set\(\$context\.responseOverride\.header\.Access-Control-Allow-Origin = \$origin\)/,
      );
    }
    for (const [, response] of resourcesOf(t, 'AWS::ApiGateway::GatewayResponse')) {
      assert.equal(
        (response.ResponseParameters as Json)['gatewayresponse.header.Access-Control-Allow-Origin'],
        `'${first}'`,
      );
    }
  });

  test('`*` is answered as `*`; origins API Gateway cannot express fail synth with the reason', () => {
    const t = stageWith('uat', { 'uat.corsOrigin': '*' });
    const answer = preflightAnswer(methodsOf(t).get('OPTIONS /price')!);
    assert.equal(answer.headers['Access-Control-Allow-Origin'], '*');
    assert.equal(answer.template, undefined);

    assert.deepEqual(corsOrigins('https://a.example.com'), ['https://a.example.com']);
    assert.throws(() => corsOrigins('https://a.example.com,*'), /mixes \* with origins/);
    assert.throws(() => corsOrigins('https://*.example.com'), /is not an origin/);
    assert.throws(() => corsOrigins('https://a.example.com/app'), /is not an origin/);
    assert.throws(() => corsOrigins("https://a.example.com'"), /is not an origin/);
    assert.throws(() => corsOrigins(' , '), /empty/);
  });
});

describe('authorizer cache', () => {
  // docs/auth.md: a token is honoured at most clock skew (60 s) + this TTL past its exp, so 2 minutes. The lite
  // server's GatewayAuthorizer test checks the same bound against the authorizer's own skew constant.
  test("the TOKEN authorizer's result is cached 60 s in every stage, the template's value", () => {
    assert.equal(template.authorizer.ttlSeconds, 60);
    for (const env of ENVIRONMENTS) {
      const [[, authorizer]] = resourcesOf(stages[env], 'AWS::ApiGateway::Authorizer') as [[string, Json]];
      assert.equal(authorizer.AuthorizerResultTtlInSeconds, 60, env);
    }
  });
});
