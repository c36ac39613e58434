import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { templatePath } from '#build/paths.ts';
import { readTemplate } from '#build/template.ts';
import { ROLE_PERMISSIONS, ROLES } from '#common/constants/roles.ts';
import { OpenApiContract } from '#testing/openapi-contract.ts';
import { startCli } from '#testing/cli.ts';

const runCli = async (script: string, args: string[]) => {
  const cli = startCli(script, args);
  const code = await cli.exited;
  return { code, stderr: cli.stderr() };
};

const root = process.cwd();
const committed = (path: string) => readFileSync(join(root, path), 'utf8');

describe('the OpenAPI document (openapi.json)', () => {
  it('is what `npm run openapi` generates from the Zod schemas, as are the web client types', async () => {
    const result = await runCli('tools/openapi/cli.ts', ['--check']);

    expect(result).toMatchObject({ code: 0, stderr: expect.stringContaining('up to date') });
  });

  it('--check fails, naming the file, when a generated file differs from the schemas', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openapi-check-'));
    try {
      await runCli('tools/openapi/cli.ts', ['--dir', dir]);
      const file = join(dir, 'openapi.json');
      writeFileSync(file, readFileSync(file, 'utf8').replace('"PROD-101"', '"PROD-102"'));

      const result = await runCli('tools/openapi/cli.ts', ['--check', '--dir', dir]);

      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/openapi\.json out of date .* Run: npm run openapi/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('documents every Api route of the SAM template, and no other', () => {
    const document = JSON.parse(committed('openapi.json')) as { paths: Record<string, object> };
    const routes = readTemplate(templatePath(root))
      .flatMap((fn) => fn.routes)
      .map((route) => `${route.method.toLowerCase()} ${route.path}`)
      .sort();

    const documented = Object.entries(document.paths)
      .flatMap(([path, item]) => Object.keys(item).map((method) => `${method} ${path}`))
      .sort();

    expect(documented).toEqual(routes);
  });

  it('gives every operation the bearer scheme with the roles the authorizer allows it to, and the error body', () => {
    const document = JSON.parse(committed('openapi.json')) as {
      paths: Record<string, Record<string, Record<string, unknown>>>;
      components: { securitySchemes: Record<string, { type: string; scheme: string }> };
    };
    expect(document.components.securitySchemes.bearerJwt).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        const where = `${method} ${path}`;
        const allowedBy = ROLES.filter((role) =>
          ROLE_PERMISSIONS[role].some(
            (route) => route.method.toLowerCase() === method && route.path === path,
          ),
        );
        const security = operation.security as Array<Record<string, string[]>>;
        expect({ where, security }).toEqual({
          where,
          security: allowedBy.map((role) => ({ bearerJwt: [role] })),
        });
        const responses = operation.responses as Record<
          string,
          { content: Record<string, { schema: object }> }
        >;
        for (const status of ['400', '401', '403', '500', '503']) {
          expect({ where, status, has: status in responses }).toEqual({ where, status, has: true });
        }
        const errorSchema = JSON.stringify(responses['400']!.content['application/json']!.schema);
        expect(errorSchema).toContain('#/components/schemas/ErrorBody');
      }
    }
  });
});

describe('GET /price in the document', () => {
  type Response = {
    headers: Record<string, { required?: boolean; schema: { type: string; pattern?: string } }>;
    content: { 'application/json': { examples: Record<string, { value: { error: { code: string } } }> } };
  };
  const responses = () =>
    (
      JSON.parse(committed('openapi.json')) as {
        paths: { '/price': { get: { responses: Record<string, Response> } } };
      }
    ).paths['/price'].get.responses;

  it('answers 503 MAINTENANCE beside the outages, with Retry-After in whole seconds', () => {
    const unavailable = responses()['503']!;

    expect(Object.keys(unavailable.content['application/json'].examples)).toEqual([
      'AUDIT_UNAVAILABLE',
      'SOURCE_UNAVAILABLE',
      'MAINTENANCE',
    ]);
    expect(unavailable.content['application/json'].examples.MAINTENANCE!.value.error.code).toBe(
      'MAINTENANCE',
    );
    expect(unavailable.headers['retry-after']).toMatchObject({ schema: { type: 'integer', minimum: 1 } });
  });

  it('says how long the caller may cache a price: Cache-Control on the 200', () => {
    const header = responses()['200']!.headers['cache-control']!;
    const pattern = new RegExp(header.schema.pattern!);

    expect(header.required).toBe(true);
    expect('private, max-age=60').toMatch(pattern);
    expect('no-store').toMatch(pattern);
    expect('public, max-age=60').not.toMatch(pattern);
  });
});

describe('OpenApiContract (testing/openapi-contract.ts)', () => {
  const contract = new OpenApiContract();

  it('accepts an answer that matches the document', () => {
    expect(
      contract.violations({
        method: 'GET',
        path: '/price',
        status: 200,
        body: JSON.stringify({ productId: 'PROD-101', price: 99.99, currency: 'USD' }),
      }),
    ).toEqual([]);
  });

  it('names what is wrong: an undocumented field, a status the route does not answer, a wrong type', () => {
    const extraField = contract.violations({
      method: 'GET',
      path: '/price',
      status: 200,
      body: JSON.stringify({ productId: 'PROD-101', price: 99.99, currency: 'USD', cost: 1 }),
    });
    const undocumentedStatus = contract.violations({
      method: 'GET',
      path: '/price',
      status: 409,
      body: '{}',
    });
    const wrongType = contract.violations({
      method: 'GET',
      path: '/config/maintenanceMode',
      status: 200,
      body: JSON.stringify({ key: 'maintenanceMode', value: false, version: '1' }),
    });

    expect(extraField.join()).toMatch(/must NOT have additional properties/);
    expect(undocumentedStatus).toEqual(['GET /price 409: status 409 is not documented for this operation']);
    expect(wrongType.join()).toMatch(/GET \/config\/\{key\} 200: \/version must be integer/);
  });

  it('takes a gateway refusal of an unknown path or method only with an error body', () => {
    expect(
      contract.violations({ method: 'GET', path: '/prices', status: 404, body: '{"message":"Not Found"}' }),
    ).toEqual([]);
    expect(contract.violations({ method: 'DELETE', path: '/price', status: 200, body: '{}' })).toEqual([
      'DELETE /price 200: the document has no such method on this path',
    ]);
  });
});
