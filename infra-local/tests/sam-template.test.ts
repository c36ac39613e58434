import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { ErrorObject } from 'ajv';
import Ajv04Module from 'ajv-draft-04';
import type { z } from 'zod';
import { loadEnv } from '#common/utils/env.ts';
import { findFunction, liteEnvironment, localTableNames } from '../lite/lite-env.ts';
import { templatePath } from '#build/paths.ts';
import type { TemplateFunction } from '#build/template.ts';
import { readTemplate } from '#build/template.ts';
import { yamlParse } from 'yaml-cfn';
import { root, sharedSchema } from '#testing/docker-files.ts';

type Json = Record<string, unknown>;
const rawTemplate = (): Json => yamlParse(readFileSync(templatePath(root), 'utf8')) as Json;
const functions = readTemplate(templatePath(root));
const byName = functions.map((fn) => [fn.logicalId, fn] as const);

/** Variables the runtime or Powertools read, not the function's config schema. */
const RUNTIME_VARIABLES = /^(NODE_OPTIONS|AWS_[A-Z_]+|POWERTOOLS_(?!SERVICE_NAME$)[A-Z_]+)$/;

/** The env schema of a function: by convention, the `<Name>EnvSchema` its src/env.ts exports. */
const envSchemaOf = async (fn: TemplateFunction): Promise<z.ZodObject> => {
  const module = (await import(join(root, 'functions', fn.name, 'src', 'env.ts'))) as Record<string, unknown>;
  const schemas = Object.entries(module).filter(([name]) => name.endsWith('EnvSchema'));
  if (schemas.length !== 1) {
    throw new Error(
      `functions/${fn.name}/src/env.ts must export exactly one *EnvSchema (found ${schemas.length})`,
    );
  }
  return schemas[0]![1] as z.ZodObject;
};

const sam = sharedSchema('sam.schema.json');
// Chosen at load time, so a missing ../shared/schemas shows up as skipped tests, never as a silent pass.
const describeWithSamSchema = sam.schema ? describe : describe.skip;

describeWithSamSchema('local-debug.yaml against the official SAM schema (../shared/schemas)', () => {
  // A CommonJS module whose export is the class itself, with `default` pointing back at it.
  const ajv = new Ajv04Module.default({ strict: false, allErrors: true });
  const validate = ajv.compile(sam.schema ?? {});
  const errors = (template: unknown) =>
    validate(template)
      ? []
      : (validate.errors ?? []).map((error: ErrorObject) => `${error.instancePath} ${error.message}`);

  it('is a valid SAM template', () => {
    expect(errors(rawTemplate())).toEqual([]);
  });

  it('is checked by a live validator that rejects a misspelt function property', () => {
    const broken = rawTemplate();
    const [logicalId] = byName[0]!;
    const resource = (broken.Resources as Json)[logicalId] as { Properties: Json };
    resource.Properties.Handlr = resource.Properties.Handler;

    expect(errors(broken).length).toBeGreaterThan(0);
  });
});

describe('local-debug.yaml contracts', () => {
  it('declares at least one function, each built by esbuild from functions/<name>/src/handler.ts', () => {
    expect(functions.length).toBeGreaterThan(0);
    for (const fn of functions) {
      expect(existsSync(join(root, 'functions', fn.name, 'src', 'handler.ts'))).toBe(true);
    }
  });

  it.each(byName)('%s: CodeUri and Handler name a built file in dist/ that exports the handler', (_, fn) => {
    const [file, exported] = fn.handler.split('.');
    const built = ['.mjs', '.js', '.cjs'].map((ext) => join(fn.codeDir, `${file}${ext}`)).find(existsSync);
    const meta = JSON.parse(readFileSync(join(root, 'dist', `${fn.name}.meta.json`), 'utf8')) as {
      outputs: Record<string, { exports: string[] }>;
    };

    expect(relative(root, fn.codeDir)).toBe(join('dist', fn.name));
    expect(built).toBeDefined();
    expect(meta.outputs[relative(root, built!)]?.exports).toContain(exported);
  });

  it.each(byName)('%s: uses the Node runtime the bundle targets (esbuild target node22)', (_, fn) => {
    expect(fn.runtime).toBe('nodejs22.x');
  });

  it.each(byName)('%s: declares every variable its config schema requires, in both modes', async (_, fn) => {
    const schema = await envSchemaOf(fn);

    // Only the template's variables: nothing leaks in from the test process.
    expect(() => loadEnv(schema, { ...fn.environment })).not.toThrow();
    expect(() => loadEnv(schema, liteEnvironment(root, fn))).not.toThrow();
  });

  it.each(byName)('%s: declares no variable its config schema does not read', async (_, fn) => {
    const known = new Set(Object.keys((await envSchemaOf(fn)).shape));
    const unknown = Object.keys(fn.environment).filter(
      (name) => !known.has(name) && !RUNTIME_VARIABLES.test(name),
    );
    expect(unknown).toEqual([]);
  });

  it('serves every Api event of the raw template as a route, each method and path once', () => {
    const resources = rawTemplate().Resources as Record<string, { Type: string; Properties: Json }>;
    const declared = Object.entries(resources)
      .filter(([, resource]) => resource.Type === 'AWS::Serverless::Function')
      .flatMap(([logicalId, resource]) =>
        Object.values(
          (resource.Properties.Events ?? {}) as Record<string, { Type: string; Properties: Json }>,
        )
          .filter((event) => event.Type === 'Api')
          .map(
            (event) =>
              `${logicalId} ${String(event.Properties.Method).toUpperCase()} ${event.Properties.Path}`,
          ),
      );
    // The routes the lite runner and `npm run start-api` serve come from readTemplate.
    const served = functions.flatMap((fn) =>
      fn.routes.map((route) => `${fn.logicalId} ${route.method} ${route.path}`),
    );
    const keys = served.map((route) => route.split(' ').slice(1).join(' '));

    expect(served.sort()).toEqual(declared.sort());
    expect(new Set(keys).size).toBe(keys.length);
    for (const key of keys) expect(key).toMatch(/^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|ANY) \/\S*$/);
  });

  it('has a recorded event in infra-local/events for every route, and no event for an undeclared route', () => {
    const dir = join(root, 'infra-local', 'events');
    const events = readdirSync(dir)
      .filter((file) => file.endsWith('.json'))
      .map((file) => ({ file, event: JSON.parse(readFileSync(join(dir, file), 'utf8')) as Json }))
      // Direct invokes (health checks) and TOKEN authorizer events are not API routes.
      .filter(({ event }) => event.health_check !== true && event.type !== 'TOKEN');
    const routes = functions.flatMap((fn) => fn.routes.map((route) => `${route.method} ${route.path}`));
    const recorded = events.map(({ event }) => `${String(event.httpMethod)} ${String(event.resource)}`);

    for (const route of routes) expect(recorded).toContain(route);
    const strays = events.filter((_, index) => !routes.includes(recorded[index]!)).map(({ file }) => file);
    expect(strays).toEqual([]);
  });

  it('keeps the Docker-mode values in the template and the lite overrides in env/lite.json', () => {
    const price = findFunction(root, 'price-fetcher');
    expect(price.environment).toMatchObject({
      PRICE_DB: 'oracle',
      DYNAMODB_ENDPOINT: expect.stringContaining('host.docker.internal'),
    });
    expect(liteEnvironment(root, price)).toMatchObject({
      PRICE_DB: 'sqlite',
      DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000',
    });
  });

  it("gives price-fetcher config-service's table in both modes, and that is the config table created locally", () => {
    const price = findFunction(root, 'price-fetcher');
    const config = findFunction(root, 'config-service');
    expect(price.environment.CONFIG_TABLE).toBe(config.environment.CONFIG_TABLE);
    expect(liteEnvironment(root, price).CONFIG_TABLE).toBe(liteEnvironment(root, config).CONFIG_TABLE);
    expect(localTableNames(root).config).toBe(liteEnvironment(root, config).CONFIG_TABLE);
  });

  it('refuses an env-vars file that gives price-fetcher and config-service different config tables', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lite-env-'));
    try {
      const file = join(dir, 'env.json');
      writeFileSync(file, JSON.stringify({ ConfigServiceFunction: { CONFIG_TABLE: 'elsewhere' } }));
      expect(() => localTableNames(root, file)).toThrow(/different CONFIG_TABLEs.*config-service: elsewhere/);
      writeFileSync(file, JSON.stringify({ Parameters: { CONFIG_TABLE: 'elsewhere' } }));
      expect(localTableNames(root, file).config).toBe('elsewhere');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
