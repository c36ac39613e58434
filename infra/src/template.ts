import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { yamlParse } from 'yaml-cfn';

/**
 * The SAM template of local mode is the one description of the functions, their routes, their environment
 * variable names and the authorizer. The stacks are generated from it, so the two cannot drift apart.
 */
export const TEMPLATE_PATH = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'infra-local',
  'local-debug.yaml',
);

export interface TemplateRoute {
  /** Upper-case HTTP method, as API Gateway names it. */
  method: string;
  path: string;
  /** The event's name in the template (GetPrice, PutConfig, ...). */
  event: string;
}

export interface TemplateFunction {
  logicalId: string;
  /** `price-fetcher` for `FunctionName: !Sub price-fetcher-${Stage}`: also the zip's name in the vault. */
  name: string;
  description: string;
  handler: string;
  /** Globals.Function.Environment merged with the function's own, in that order (as SAM merges them). */
  environment: Record<string, unknown>;
  routes: TemplateRoute[];
}

export interface TemplateAuthorizer {
  /** The logical id of the authorizer's function (from `FunctionArn: !GetAtt <Id>.Arn`). */
  functionLogicalId: string;
  header: string;
  ttlSeconds: number;
  /** Whether it is the default authorizer of every route. */
  isDefault: boolean;
}

export interface TemplateDescription {
  runtime: string;
  memorySize: number;
  timeoutSeconds: number;
  functions: TemplateFunction[];
  authorizer: TemplateAuthorizer;
}

type Json = Record<string, unknown>;
const asObject = (value: unknown): Json =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};

const nameFrom = (logicalId: string, functionName: unknown): string => {
  const sub = asObject(functionName)['Fn::Sub'];
  const pattern = typeof sub === 'string' ? sub : typeof functionName === 'string' ? functionName : '';
  const match = /^([a-z0-9-]+)-\$\{Stage\}$/.exec(pattern);
  if (!match?.[1]) {
    throw new Error(
      `${logicalId}: FunctionName must be "!Sub <name>-\${Stage}" (got ${JSON.stringify(functionName)})`,
    );
  }
  return match[1];
};

const readAuthorizer = (template: Json, functions: TemplateFunction[]): TemplateAuthorizer => {
  // SAM allows Auth on Globals.Api or on an AWS::Serverless::Api resource; accept either placement.
  const candidates: Json[] = [asObject(asObject(asObject(template.Globals).Api).Auth)];
  for (const resource of Object.values(asObject(template.Resources))) {
    const { Type, Properties } = asObject(resource);
    if (Type === 'AWS::Serverless::Api') candidates.push(asObject(asObject(Properties).Auth));
  }
  for (const auth of candidates) {
    const authorizers = asObject(auth.Authorizers);
    const [name, first] = Object.entries(authorizers)[0] ?? [];
    if (!name) continue;
    const config = asObject(first);
    const getAtt = asObject(config.FunctionArn)['Fn::GetAtt'];
    const target = Array.isArray(getAtt)
      ? getAtt[0]
      : typeof getAtt === 'string'
        ? getAtt.split('.')[0]
        : undefined;
    if (typeof target !== 'string' || !functions.some((f) => f.logicalId === target)) {
      throw new Error(`authorizer ${name}: FunctionArn must be !GetAtt <a function of the template>.Arn`);
    }
    const identity = asObject(config.Identity);
    return {
      functionLogicalId: target,
      header: typeof identity.Header === 'string' ? identity.Header : 'Authorization',
      ttlSeconds: typeof identity.ReauthorizeEvery === 'number' ? identity.ReauthorizeEvery : 300,
      isDefault: auth.DefaultAuthorizer === name,
    };
  }
  throw new Error(
    'the template declares no API authorizer (Globals.Api.Auth or an AWS::Serverless::Api Auth)',
  );
};

/** Reads the functions, routes, environment names and authorizer from the SAM template. */
export const readTemplate = (file: string = TEMPLATE_PATH): TemplateDescription => {
  const template = asObject(yamlParse(readFileSync(file, 'utf8')));
  const globals = asObject(asObject(template.Globals).Function);
  const globalEnv = asObject(asObject(globals.Environment).Variables);
  const functions: TemplateFunction[] = [];
  for (const [logicalId, resource] of Object.entries(asObject(template.Resources))) {
    const { Type, Properties } = asObject(resource);
    if (Type !== 'AWS::Serverless::Function') continue;
    const props = asObject(Properties);
    const routes: TemplateRoute[] = [];
    for (const [event, definition] of Object.entries(asObject(props.Events))) {
      const { Type: eventType, Properties: eventProps } = asObject(definition);
      if (eventType !== 'Api') continue;
      const { Path, Method } = asObject(eventProps);
      if (typeof Path !== 'string' || typeof Method !== 'string') {
        throw new Error(`${logicalId}.${event}: an Api event needs a plain Path and Method`);
      }
      routes.push({ method: Method.toUpperCase(), path: Path, event });
    }
    functions.push({
      logicalId,
      name: nameFrom(logicalId, props.FunctionName),
      description: typeof props.Description === 'string' ? props.Description : '',
      handler: String(props.Handler ?? globals.Handler ?? 'index.handler'),
      environment: { ...globalEnv, ...asObject(asObject(props.Environment).Variables) },
      routes,
    });
  }
  if (functions.length === 0) throw new Error(`${file}: no AWS::Serverless::Function`);
  return {
    runtime: String(globals.Runtime ?? 'nodejs22.x'),
    memorySize: Number(globals.MemorySize ?? 128),
    timeoutSeconds: Number(globals.Timeout ?? 3),
    functions,
    authorizer: readAuthorizer(template, functions),
  };
};
