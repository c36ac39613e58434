import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { buildFunctions } from '#build/build-functions.ts';
import { DEFAULT_EVENT_USER, buildApiEvent } from '#infra-local/lite/event-spec.ts';
import { templatePath } from '#build/paths.ts';
import { formatForRepo } from '#infra-local/lite/prettier-format.ts';
import { readTemplate } from '#build/template.ts';
import { readTemplateTables } from '#infra-local/seed/template-tables.ts';

/** Function names: kebab-case, as folders, routes and bundle names use them. */
export const FUNCTION_NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const MAX_NAME_LENGTH = 40;

/** What `npm run openapi` writes (tools/openapi/render.ts). */
const OPENAPI_FILES = ['openapi.json', join('web', 'src', 'api', 'schema.d.ts')] as const;
const SIZE_BUDGET_FILE = join('bench', 'size-budget.json');

export class ScaffoldError extends Error {
  /** 2 for a bad name (usage), 1 for a conflict with what exists. */
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = 'ScaffoldError';
    this.exitCode = exitCode;
  }
}

interface Names {
  name: string;
  Pascal: string;
  camel: string;
  CONST: string;
}

const namesOf = (name: string): Names => {
  const words = name.split('-');
  const Pascal = words.map((word) => word[0]!.toUpperCase() + word.slice(1)).join('');
  return {
    name,
    Pascal,
    camel: Pascal[0]!.toLowerCase() + Pascal.slice(1),
    CONST: words.join('_').toUpperCase(),
  };
};

const render = (root: string, template: string, names: Names): string =>
  readFileSync(join(root, 'tools', 'scaffold', 'templates', template), 'utf8')
    .replaceAll('__Pascal__', names.Pascal)
    .replaceAll('__camel__', names.camel)
    .replaceAll('__CONST__', names.CONST)
    .replaceAll('__name__', names.name);

/** Inserts the new resources at the end of the template's Resources section, leaving every other line as is. */
const withResources = (template: string, block: string): string => {
  const lines = template.split('\n');
  const start = lines.findIndex((line) => /^Resources:\s*(#.*)?$/.test(line));
  if (start < 0)
    throw new ScaffoldError('infra-local/local-debug.yaml has no top-level "Resources:" section');
  let end = lines.findIndex((line, index) => index > start && /^\S/.test(line) && !line.startsWith('#'));
  if (end < 0) end = lines.length;
  while (end > start + 1 && lines[end - 1]!.trim() === '') end -= 1;
  const after = lines.slice(end).join('\n').replace(/^\n*/, '');
  return [
    ...lines.slice(0, end),
    ...block.replace(/\n+$/, '').split('\n'),
    '',
    ...(after ? [after] : []),
  ].join('\n');
};

/** Adds the function's audit action to the AuditAction constant (the audit item schema derives from it). */
const withAuditAction = (source: string, names: Names): string => {
  const block = /(export const AuditAction = \{\n)([\s\S]*?)(\} as const;)/.exec(source);
  if (!block)
    throw new ScaffoldError(
      'common/constants/audit.ts has no "export const AuditAction = { ... } as const;"',
    );
  const entry = `  ${names.Pascal}Read: '${names.CONST}_READ',\n`;
  return source.replace(block[0], `${block[1]}${block[2]}${entry}${block[3]}`);
};

/**
 * Adds a `<name>-reader` role for the new route to the roles table: every API route is behind the token
 * authorizer, and a route no role allows is denied to everyone (docs/auth.md).
 */
const withRole = (source: string, names: Names): string => {
  const roles = /(export const Role = \{\n)([\s\S]*?)(\} as const;)/.exec(source);
  const table = /(export const ROLE_PERMISSIONS[^=]*= \{\n)([\s\S]*?)(\n\};)/.exec(source);
  if (!roles || !table)
    throw new ScaffoldError('common/constants/roles.ts has no "Role" constant or "ROLE_PERMISSIONS" table');
  const withConstant = source.replace(
    roles[0],
    `${roles[1]}${roles[2]}  ${names.Pascal}Reader: '${names.name}-reader',\n${roles[3]}`,
  );
  const entry = `\n  [Role.${names.Pascal}Reader]: [{ method: 'GET', path: '/${names.name}' }],`;
  const updated = /(export const ROLE_PERMISSIONS[^=]*= \{\n)([\s\S]*?)(\n\};)/.exec(withConstant)!;
  return withConstant.replace(updated[0], `${updated[1]}${updated[2]}${entry}${updated[3]}`);
};

/**
 * Documents the new route in the OpenAPI operations (tools/openapi/operations.ts): its tag, the imports of
 * its query and item schemas (the very ones the handler validates with) and its operation.
 */
const withOperation = (source: string, operation: string, names: Names): string => {
  const lines = source.split('\n');
  const firstExport = lines.findIndex((line) => line.startsWith('export '));
  const lastImport = lines.slice(0, firstExport).findLastIndex((line) => /from '[^']+';$/.test(line));
  const tags = /(export const API_TAGS[^=]*= \[\n)([\s\S]*?)(\n\];)/;
  const operations = /(export const API_OPERATIONS[^=]*= \[\n)([\s\S]*?)(\n\];)/;
  if (firstExport < 0 || lastImport < 0 || !tags.test(source) || !operations.test(source))
    throw new ScaffoldError(
      'tools/openapi/operations.ts has no import block, "API_TAGS" list or "API_OPERATIONS" list',
    );
  const imports = [
    `import { Get${names.Pascal}QuerySchema } from '#functions/${names.name}/src/dto.ts';`,
    `import { ${names.Pascal}ItemSchema } from '#common/models/${names.name}.ts';`,
  ];
  const withImports = [...lines.slice(0, lastImport + 1), ...imports, ...lines.slice(lastImport + 1)].join(
    '\n',
  );
  const tag = `\n  { name: '${names.name}', description: '${names.name}' },`;
  return withImports
    .replace(tags, (_, open: string, body: string, close: string) => `${open}${body}${tag}${close}`)
    .replace(
      operations,
      (_, open: string, body: string, close: string) =>
        `${open}${body}\n${operation.replace(/\n+$/, '')}${close}`,
    );
};

/** The Postman folder of the new route's requests (200, 404, 400), before the gateway and identity folders. */
const withPostmanFolder = (source: string, folder: string): string => {
  const collection = JSON.parse(source) as { item?: { name: string }[] };
  if (!Array.isArray(collection.item))
    throw new ScaffoldError('infra-local/postman/pricing-api.postman_collection.json has no "item" list');
  const added = JSON.parse(folder) as { name: string };
  if (collection.item.some((item) => item.name === added.name))
    throw new ScaffoldError(`the Postman collection already has a folder "${added.name}"`);
  const gateway = collection.item.findIndex((item) => item.name === 'API Gateway behaviour');
  collection.item.splice(gateway < 0 ? collection.item.length : gateway, 0, added);
  return `${JSON.stringify(collection, null, 2)}\n`;
};

const execFileAsync = promisify(execFile);

/** Regenerates openapi.json and the web client's types from the edited operations, in a child process (it imports the new dto). */
const writeOpenApi = async (root: string): Promise<void> => {
  try {
    await execFileAsync(process.execPath, [join('tools', 'openapi', 'cli.ts')], { cwd: root });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? String(error);
    throw new ScaffoldError(
      `openapi.json could not be regenerated with the new operation:\n${stderr.trim()}`,
    );
  }
};

export interface ScaffoldResult {
  created: string[];
  changed: string[];
}

/**
 * Creates a working function: dto, handler, service, repository, model, env, tests, a recorded event and
 * seed items; adds it and its table to the SAM template (so the build, the lite runner and SAM pick it up),
 * its audit action to the kernel constant, a `<name>-reader` role, its OpenAPI operation (then regenerates
 * openapi.json and the web client's types), its Postman requests, its size budget and `invoke:<name>` to
 * package.json. Everything
 * is rendered and checked in memory first; files are written only when all of it is consistent.
 */
export const newFunction = async (root: string, name: string): Promise<ScaffoldResult> => {
  if (!FUNCTION_NAME.test(name) || name.length > MAX_NAME_LENGTH) {
    throw new ScaffoldError(
      `"${name}" is not a function name: use kebab-case (lower-case letters and digits, words joined by "-", starting with a letter), at most ${MAX_NAME_LENGTH} characters`,
      2,
    );
  }
  const names = namesOf(name);
  const fnDir = join(root, 'functions', name);
  const templateFile = templatePath(root);
  const functions = readTemplate(templateFile);
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const auditPath = join(root, 'common', 'constants', 'audit.ts');
  const auditSource = readFileSync(auditPath, 'utf8');
  const operationsFile = join('tools', 'openapi', 'operations.ts');
  const operationsSource = readFileSync(join(root, operationsFile), 'utf8');
  const postmanFile = join('infra-local', 'postman', 'pricing-api.postman_collection.json');

  const conflicts = [
    existsSync(fnDir) && `functions/${name} exists`,
    functions.some((fn) => fn.name === name || fn.logicalId === `${names.Pascal}Function`) &&
      `the template already declares ${names.Pascal}Function or a function built from dist/${name}`,
    functions.some((fn) => fn.routes.some((route) => route.path === `/${name}`)) &&
      `the template already routes /${name}`,
    `invoke:${name}` in pkg.scripts && `package.json already has a script invoke:${name}`,
    auditSource.includes(`${names.Pascal}Read:`) && `AuditAction.${names.Pascal}Read exists`,
    operationsSource.includes(`operationId: 'get${names.Pascal}'`) &&
      `tools/openapi/operations.ts already documents get${names.Pascal}`,
  ].filter((conflict): conflict is string => typeof conflict === 'string');
  if (conflicts.length > 0) throw new ScaffoldError(`cannot create ${name}: ${conflicts.join('; ')}`);

  const eventFile = join('infra-local', 'events', `${name}-event.json`);
  const files: Record<string, string> = {
    [join('functions', name, 'src', 'env.ts')]: render(root, 'env.ts.tpl', names),
    [join('functions', name, 'src', 'dto.ts')]: render(root, 'dto.ts.tpl', names),
    [join('functions', name, 'src', 'service.ts')]: render(root, 'service.ts.tpl', names),
    [join('functions', name, 'src', 'repository-dynamodb.ts')]: render(
      root,
      'repository-dynamodb.ts.tpl',
      names,
    ),
    [join('functions', name, 'src', 'handler.ts')]: render(root, 'handler.ts.tpl', names),
    [join('functions', name, 'tests', 'handler.test.ts')]: render(root, 'handler.test.ts.tpl', names),
    [join('common', 'models', `${name}.ts`)]: render(root, 'model.ts.tpl', names),
    [join('infra-local', 'seed', 'dynamodb', `${name}.json`)]: JSON.stringify([
      { id: 'ITEM-1', name: `First ${name} item`, updatedAt: '2025-01-01T00:00:00.000Z' },
    ]),
    [eventFile]: JSON.stringify(
      buildApiEvent({
        method: 'GET',
        path: `/${name}`,
        query: [
          ['id', 'ITEM-1'],
          ['userId', DEFAULT_EVENT_USER],
        ],
        headers: [['X-Correlation-Id', `local-${name}-event-0001`]],
        caller: { userId: DEFAULT_EVENT_USER, roles: [`${name}-reader`] },
      }),
    ),
  };
  for (const file of Object.keys(files)) {
    if (existsSync(join(root, file))) throw new ScaffoldError(`cannot create ${name}: ${file} exists`);
  }
  const changed: Record<string, string> = {
    [join('infra-local', 'local-debug.yaml')]: withResources(
      readFileSync(templateFile, 'utf8'),
      render(root, 'template-resources.yaml.tpl', names),
    ),
    [join('common', 'constants', 'audit.ts')]: withAuditAction(auditSource, names),
    [postmanFile]: withPostmanFolder(
      readFileSync(join(root, postmanFile), 'utf8'),
      render(root, 'postman-folder.json.tpl', names),
    ),
    [operationsFile]: withOperation(operationsSource, render(root, 'openapi-operation.ts.tpl', names), names),
    [join('common', 'constants', 'roles.ts')]: withRole(
      readFileSync(join(root, 'common', 'constants', 'roles.ts'), 'utf8'),
      names,
    ),
    'package.json': `${JSON.stringify(
      {
        ...pkg,
        scripts: {
          ...pkg.scripts,
          [`invoke:${name}`]: `node tools/local/invoke.ts ${name} --default-event ${eventFile}`,
        },
      },
      null,
      2,
    )}\n`,
  };

  // The edited template must still parse and declare what was added, exactly as the build and SAM read it.
  const check = mkdtempSync(join(tmpdir(), 'new-function-'));
  try {
    const copy = join(check, 'local-debug.yaml');
    writeFileSync(copy, changed[join('infra-local', 'local-debug.yaml')]!);
    const added = readTemplate(copy).find((fn) => fn.logicalId === `${names.Pascal}Function`);
    const tables = readTemplateTables(copy).map((table) => table.tableName);
    if (!added || added.routes[0]?.path !== `/${name}` || !tables.includes(`${name}-local`)) {
      throw new ScaffoldError(
        'the edited template did not declare the new function and table; nothing was written',
      );
    }
    if (readTemplate(copy).length !== functions.length + 1) {
      throw new ScaffoldError('the edited template lost a function; nothing was written');
    }
  } finally {
    rmSync(check, { recursive: true, force: true });
  }

  // Formatted in memory first: a file prettier refuses stops the scaffold before anything is written.
  const formatted: Array<[string, string]> = [];
  for (const [file, text] of Object.entries({ ...files, ...changed })) {
    const path = join(root, file);
    formatted.push([file, /\.(ts|json)$/.test(file) ? await formatForRepo(path, text) : text]);
  }
  const generated = [OPENAPI_FILES[0], OPENAPI_FILES[1], SIZE_BUDGET_FILE];
  // What the steps after the first write may change, as it was: restored if any step fails.
  const originals = new Map(
    [...Object.keys(changed), ...generated].map((file) => [file, readFileSync(join(root, file), 'utf8')]),
  );
  try {
    for (const [file, text] of formatted) {
      mkdirSync(dirname(join(root, file)), { recursive: true });
      writeFileSync(join(root, file), text);
    }
    await writeOpenApi(root);
    await writeSizeBudget(root, name);
  } catch (error) {
    for (const [file, text] of originals) writeFileSync(join(root, file), text);
    for (const file of Object.keys(files)) rmSync(join(root, file), { force: true });
    rmSync(fnDir, { recursive: true, force: true });
    rmSync(join(root, 'dist', name), { recursive: true, force: true });
    rmSync(join(root, 'dist', `${name}.zip`), { force: true });
    if (error instanceof ScaffoldError)
      throw new ScaffoldError(`${error.message}\nNothing was changed: every file is as it was.`);
    throw error;
  }
  return { created: Object.keys(files), changed: [...Object.keys(changed), ...generated] };
};

/** Headroom of a new function's first size budget over its first build: room to grow, not to bloat. */
const FIRST_BUDGET_HEADROOM = 1.1;

/**
 * Every function has a size budget (bench/size-budget.json, gated by bench/tests/size-budget.test.ts).
 * A new one's is its first build's sizes plus FIRST_BUDGET_HEADROOM, rounded up to the KB.
 */
const writeSizeBudget = async (root: string, name: string): Promise<void> => {
  const file = SIZE_BUDGET_FILE;
  const [built] = await buildFunctions(root, [name]);
  if (!built) throw new ScaffoldError(`the build did not produce ${name}`);
  const zipBytes = statSync(join(root, built.zip)).size;
  const bound = (bytes: number) => Math.ceil((bytes * FIRST_BUDGET_HEADROOM) / 1000) * 1000;
  const budgets = JSON.parse(readFileSync(join(root, file), 'utf8')) as Record<string, unknown>;
  budgets[name] = {
    bundleBytes: bound(built.bytes),
    codeBytes: bound(built.bytes + built.chunkBytes),
    zipBytes: bound(zipBytes),
  };
  writeFileSync(
    join(root, file),
    await formatForRepo(join(root, file), `${JSON.stringify(budgets, null, 2)}\n`),
  );
};
