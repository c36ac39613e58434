import { join } from 'node:path';
import type { TemplateFunction } from '#build/template.ts';
import { applyEnvVars, readApiAuthorizer, readEnvVarsFile, readTemplate } from '#build/template.ts';
import { templatePath } from '#build/paths.ts';

/** The env-vars file lite mode applies on top of the template (same format as `sam local invoke --env-vars`). */
export const liteEnvVarsPath = (root: string): string => join(root, 'infra-local', 'env', 'lite.json');

/** Finds a template function by folder name (`price-fetcher`) or logical id (`PriceFetcherFunction`). */
export const findFunction = (root: string, nameOrId: string): TemplateFunction => {
  const functions = readTemplate(templatePath(root));
  const fn = functions.find((candidate) => candidate.name === nameOrId || candidate.logicalId === nameOrId);
  if (!fn) {
    throw new Error(
      `No function "${nameOrId}" in infra-local/local-debug.yaml. Known: ${functions.map((f) => f.name).join(', ')}`,
    );
  }
  return fn;
};

/** A function's lite-mode environment: template, then lite.json, then the caller's `--env-vars` file. */
export const liteEnvironment = (
  root: string,
  fn: TemplateFunction,
  envVarsFile?: string,
): Record<string, string> => {
  let environment = applyEnvVars(fn, readEnvVarsFile(liteEnvVarsPath(root)));
  if (envVarsFile) environment = applyEnvVars({ ...fn, environment }, readEnvVarsFile(envVarsFile));
  return environment;
};

/**
 * The DynamoDB tables the local stores must hold, named as the template's functions see them in lite mode:
 * the shared audit table and the config table (config-service's, which price-fetcher reads too).
 */
export const localTableNames = (root: string, envVarsFile?: string): { audit: string; config?: string } => {
  const functions = readTemplate(templatePath(root));
  const environments = functions.map((fn) => liteEnvironment(root, fn, envVarsFile));
  const first = (name: string) => environments.map((environment) => environment[name]).find(Boolean);
  const audit = first('AUDIT_TABLE');
  if (!audit) throw new Error('No function in infra-local/local-debug.yaml declares AUDIT_TABLE');
  const config = first('CONFIG_TABLE');
  // One config table: a function naming another table than the one created would find no settings in it.
  if (new Set(environments.map((environment) => environment.CONFIG_TABLE).filter(Boolean)).size > 1) {
    const named = functions.flatMap((fn, index) => {
      const table = environments[index]!.CONFIG_TABLE;
      return table ? [`${fn.name}: ${table}`] : [];
    });
    throw new Error(
      `The functions name different CONFIG_TABLEs (${named.join(', ')}); they share one table: set it for all of them (Parameters in the env-vars file)`,
    );
  }
  return config ? { audit, config } : { audit };
};

/** Every template function that serves API routes, with its lite environment (for the local API). */
export const liteApiFunctions = (
  root: string,
  envVarsFile?: string,
): Array<{ fn: TemplateFunction; env: Record<string, string> }> =>
  readTemplate(templatePath(root))
    .filter((fn) => fn.routes.length > 0)
    .map((fn) => ({ fn, env: liteEnvironment(root, fn, envVarsFile) }));

/** The API's token authorizer with its function and lite environment, or undefined when the API has none. */
export const liteApiAuthorizer = (
  root: string,
  envVarsFile?: string,
): { fn: TemplateFunction; env: Record<string, string>; header: string; ttlSeconds: number } | undefined => {
  const auth = readApiAuthorizer(templatePath(root));
  if (!auth) return undefined;
  const fn = findFunction(root, auth.functionLogicalId);
  return {
    fn,
    env: liteEnvironment(root, fn, envVarsFile),
    header: auth.header,
    ttlSeconds: auth.ttlSeconds,
  };
};
