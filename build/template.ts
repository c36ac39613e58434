import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { yamlParse } from 'yaml-cfn';

/** An API route as API Gateway (and `sam local start-api`) serves it. */
export interface ApiRoute {
  eventName: string;
  path: string;
  method: string;
}

/** One `AWS::Serverless::Function` of the template, with Globals applied and intrinsics resolved. */
export interface TemplateFunction {
  logicalId: string;
  /** The function folder name, taken from CodeUri (`../dist/price-fetcher` gives `price-fetcher`). */
  name: string;
  functionName: string;
  codeDir: string;
  handler: string;
  runtime: string;
  timeoutSeconds: number;
  memoryMb: number;
  environment: Record<string, string>;
  routes: ApiRoute[];
}

type Json = Record<string, unknown>;

const asObject = (value: unknown): Json => (value && typeof value === 'object' ? (value as Json) : {});

/** Resolves the intrinsics a local template uses: `!Ref` to a parameter's value, `!Sub` on parameters. */
const resolveValue = (value: unknown, parameters: Record<string, string>): string => {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return String(value);
  const object = asObject(value);
  if ('Ref' in object) {
    const name = String(object.Ref);
    if (name === 'AWS::Region') return parameters['AWS::Region'] ?? 'us-east-1';
    if (!(name in parameters)) throw new Error(`!Ref ${name} is not a template parameter`);
    return parameters[name]!;
  }
  if ('Fn::Sub' in object && typeof object['Fn::Sub'] === 'string') {
    return object['Fn::Sub'].replace(/\$\{([^}]+)\}/g, (_, name: string) =>
      resolveValue({ Ref: name }, parameters),
    );
  }
  throw new Error(`Unsupported intrinsic in local template: ${JSON.stringify(value)}`);
};

/** Reads the SAM template the way `sam local` does, for the lite runner and the build. */
export const readTemplate = (
  path: string,
  parameterOverrides: Record<string, string> = {},
): TemplateFunction[] => {
  const template = asObject(yamlParse(readFileSync(path, 'utf8')));
  const parameters: Record<string, string> = {};
  for (const [name, definition] of Object.entries(asObject(template.Parameters))) {
    const fallback = asObject(definition).Default;
    if (fallback !== undefined) parameters[name] = String(fallback);
  }
  Object.assign(parameters, parameterOverrides);

  const globals = asObject(asObject(template.Globals).Function);
  const globalEnv = asObject(asObject(globals.Environment).Variables);
  const baseDir = dirname(path);
  const functions: TemplateFunction[] = [];

  for (const [logicalId, resource] of Object.entries(asObject(template.Resources))) {
    const { Type, Properties } = asObject(resource);
    if (Type !== 'AWS::Serverless::Function') continue;
    const props = { ...globals, ...asObject(Properties) };
    const codeUri = String(props.CodeUri);
    const environment: Record<string, string> = {};
    for (const [key, value] of Object.entries({
      ...globalEnv,
      ...asObject(asObject(props.Environment).Variables),
    })) {
      environment[key] = resolveValue(value, parameters);
    }
    const routes: ApiRoute[] = [];
    for (const [eventName, event] of Object.entries(asObject(props.Events))) {
      const { Type: eventType, Properties: eventProps } = asObject(event);
      if (eventType !== 'Api') continue;
      const { Path, Method } = asObject(eventProps);
      routes.push({ eventName, path: String(Path), method: String(Method).toUpperCase() });
    }
    const codeDir = resolve(baseDir, codeUri);
    functions.push({
      logicalId,
      name: codeDir.split(/[\\/]/).pop()!,
      functionName: props.FunctionName ? resolveValue(props.FunctionName, parameters) : logicalId,
      codeDir,
      handler: String(props.Handler),
      runtime: String(props.Runtime),
      timeoutSeconds: Number(props.Timeout ?? 3),
      memoryMb: Number(props.MemorySize ?? 128),
      environment,
      routes,
    });
  }
  return functions;
};

/**
 * Applies a `sam local invoke --env-vars` file: `Parameters` applies to every function, a logical id to
 * one. As with SAM, only variables the template declares are overridden.
 */
export const applyEnvVars = (
  fn: TemplateFunction,
  envVars: Record<string, Record<string, string>>,
): Record<string, string> => {
  const environment = { ...fn.environment };
  for (const overrides of [envVars.Parameters ?? {}, envVars[fn.logicalId] ?? {}]) {
    for (const [key, value] of Object.entries(overrides)) {
      if (key in environment) environment[key] = String(value);
    }
  }
  return environment;
};

export const readEnvVarsFile = (path: string): Record<string, Record<string, string>> =>
  JSON.parse(readFileSync(path, 'utf8')) as Record<string, Record<string, string>>;

/** The API's default Lambda TOKEN authorizer, as `Globals.Api.Auth` declares it. */
export interface ApiAuthorizer {
  /** Logical id of the authorizer function (`AuthorizerFunction`). */
  functionLogicalId: string;
  /** The identity source header (`Authorization`). */
  header: string;
  /** How long API Gateway caches a result (`ReauthorizeEvery`, seconds; 0 is no caching). */
  ttlSeconds: number;
}

/** The DefaultAuthorizer of the template's API, or undefined when the API has none. */
export const readApiAuthorizer = (path: string): ApiAuthorizer | undefined => {
  const template = asObject(yamlParse(readFileSync(path, 'utf8')));
  const auth = asObject(asObject(asObject(template.Globals).Api).Auth);
  const name = auth.DefaultAuthorizer;
  if (typeof name !== 'string' || name === 'NONE' || name === 'AWS_IAM') return undefined;
  const authorizer = asObject(asObject(auth.Authorizers)[name]);
  const arn = asObject(authorizer.FunctionArn)['Fn::GetAtt'];
  const target = Array.isArray(arn) ? arn[0] : typeof arn === 'string' ? arn.split('.')[0] : undefined;
  if (typeof target !== 'string')
    throw new Error(`Authorizer ${name}: FunctionArn must be !GetAtt <Function>.Arn`);
  if ((authorizer.FunctionPayloadType ?? 'TOKEN') !== 'TOKEN')
    throw new Error(`Authorizer ${name}: only TOKEN authorizers are emulated locally`);
  const identity = asObject(authorizer.Identity);
  return {
    functionLogicalId: target,
    header: typeof identity.Header === 'string' ? identity.Header : 'Authorization',
    ttlSeconds: identity.ReauthorizeEvery === undefined ? 300 : Number(identity.ReauthorizeEvery),
  };
};
