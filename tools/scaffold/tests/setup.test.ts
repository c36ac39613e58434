import { execFile } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '#testing/free-port.ts';

const exec = promisify(execFile);
const ROOT = process.cwd();
const NOT_COPIED = new Set(['node_modules', '.git', 'dist', '.local', 'coverage', '.aws-sam']);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}
const run = async (cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> => {
  try {
    const { stdout, stderr } = await exec(process.execPath, args, {
      cwd,
      env: { ...process.env, ...env },
      maxBuffer: 32 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
};

/** A throw-away copy of the repository (sources only; node_modules linked), so scaffolding never touches this one. */
const copyRepository = (): string => {
  const copy = mkdtempSync(join(tmpdir(), 'setup-new-function-'));
  cpSync(ROOT, copy, { recursive: true, filter: (source) => !NOT_COPIED.has(basename(source)) });
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
  return copy;
};

/** `npm <args>` in `cwd`, as a developer types it. */
const runNpm = async (cwd: string, args: string[]): Promise<Run> => {
  try {
    const { stdout, stderr } = await exec('npm', args, {
      cwd,
      env: process.env,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
};

describe('node setup.js (checks)', () => {
  it('reports prerequisites, structure and local modes, and passes on this repository', async () => {
    const result = await run(ROOT, ['setup.js']);

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ {2}ok {3}Node\.js\s+v22\./m);
    for (const tool of ['Docker (optional)', 'SAM CLI (optional)', 'AWS CLI (optional)']) {
      expect(result.stdout).toContain(tool);
    }
    expect(result.stdout).toMatch(/^ {2}ok {3}folders and files/m);
    expect(result.stdout).toMatch(/^ {2}ok {3}functions\/price-fetcher\s+all layers present/m);
    expect(result.stdout).toMatch(/^ {2}ok {3}lite \(default\)\s+available/m);
    expect(result.stdout).toMatch(/docker \(SAM \+ XE\)\s+(available|not available \(needs .+\))/);
    expect(result.stdout).toContain('setup: ready');
  });

  it('fails, naming what is missing, when the structure is broken', async () => {
    const copy = copyRepository();
    try {
      rmSync(join(copy, 'infra-local', 'seed', 'oracle'), { recursive: true });
      rmSync(join(copy, 'functions', 'price-fetcher', 'src', 'dto.ts'));

      const result = await run(copy, ['setup.js']);

      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/FAIL folders and files\s+missing: infra-local\/seed\/oracle/);
      expect(result.stdout).toMatch(/FAIL functions\/price-fetcher\s+missing: src\/dto\.ts/);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});

describe('node setup.js new-function', () => {
  let copy: string;
  beforeAll(async () => {
    copy = copyRepository();
    // The copy is a repository of its own (one commit), as a clone is: the release tests read git.
    const git = (...args: string[]) =>
      exec('git', args, {
        cwd: copy,
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: 'test',
          GIT_AUTHOR_EMAIL: 'test@example.com',
          GIT_COMMITTER_NAME: 'test',
          GIT_COMMITTER_EMAIL: 'test@example.com',
        },
      });
    await git('init', '-q', '-b', 'main');
    await git('add', '-A');
    await git('commit', '-q', '-m', 'copy');
  });
  afterAll(() => rmSync(copy, { recursive: true, force: true }));

  it('creates a function that passes its lite invoke, npm run lint and the whole npm test straight away', async () => {
    const created = await run(copy, ['setup.js', 'new-function', 'demo-fn']);
    expect(created.code).toBe(0);
    for (const layer of ['dto', 'handler', 'service', 'repository-dynamodb', 'env']) {
      expect(existsSync(join(copy, 'functions', 'demo-fn', 'src', `${layer}.ts`))).toBe(true);
    }
    const template = readFileSync(join(copy, 'infra-local', 'local-debug.yaml'), 'utf8');
    expect(template).toContain(readFileSync(join(ROOT, 'infra-local', 'local-debug.yaml'), 'utf8').trimEnd());
    expect(template).toMatch(/^ {2}DemoFnFunction:\n {4}Type: AWS::Serverless::Function$/m);
    const pkg = JSON.parse(readFileSync(join(copy, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts['invoke:demo-fn']).toBe(
      'node tools/local/invoke.ts demo-fn --default-event infra-local/events/demo-fn-event.json',
    );

    const envVars = join(copy, '.local', 'invoke-env.json');
    mkdirSync(dirname(envVars), { recursive: true });
    writeFileSync(
      envVars,
      JSON.stringify({ Parameters: { DYNAMODB_ENDPOINT: `http://127.0.0.1:${await freePort()}` } }),
    );
    // What `npm run invoke:demo-fn` runs, on a DynamoDB port of its own.
    const invoke = await run(
      copy,
      [
        'tools/local/invoke.ts',
        'demo-fn',
        '--default-event',
        'infra-local/events/demo-fn-event.json',
        '--env-vars',
        envVars,
      ],
      { LITE_STATE_DIR: join(copy, '.local') },
    );
    // invoke leaves the DynamoDB Local it started running for the next invoke: stop it, as a developer would.
    await run(copy, ['tools/local/db-stop.ts'], { LITE_STATE_DIR: join(copy, '.local') });
    expect(invoke.code === 0 ? 'invoked' : invoke.stderr.slice(-3000)).toBe('invoked');
    const result = JSON.parse(invoke.stdout) as { statusCode: number; body: string };
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toMatchObject({ id: 'ITEM-1' });

    // The project's own rules, all of them: `npm run lint` and the whole `npm test` (less this file, which
    // would scaffold again), so a rule the scaffold does not satisfy (a size budget, a log group) fails here.
    const lint = await runNpm(copy, ['run', 'lint']);
    expect(lint.code === 0 ? 'clean' : (lint.stdout + lint.stderr).slice(-3000)).toBe('clean');
    const tests = await runNpm(copy, [
      'test',
      '--',
      '--ci',
      '--testPathIgnorePatterns',
      'tools/scaffold/tests/setup.test.ts',
    ]);
    // On failure the assertion shows the suite's own summary: which tests failed, and why.
    expect(tests.code === 0 ? 'passed' : tests.stderr.slice(-6000)).toBe('passed');
    expect(tests.stderr).toMatch(/^PASS functions\/demo-fn\/tests\/handler\.test\.ts/m);
    expect(tests.stderr).toMatch(/^PASS bench\/tests\/size-budget\.test\.ts/m);
    expect(tests.stderr).toMatch(/^PASS infra-local\/tests\/template-compliance\.test\.ts/m);
    // The route is documented, with the role that allows it, and the web client's types know it.
    expect(tests.stderr).toMatch(/^PASS tools\/openapi\/tests\/openapi\.test\.ts/m);
    const document = JSON.parse(readFileSync(join(copy, 'openapi.json'), 'utf8')) as {
      paths: Record<string, Record<string, { 'x-required-roles': string[] }>>;
    };
    expect(document.paths['/demo-fn']?.get?.['x-required-roles']).toEqual(['demo-fn-reader']);
    expect(readFileSync(join(copy, 'web', 'src', 'api', 'schema.d.ts'), 'utf8')).toContain("'/demo-fn': {");
    // The whole suite and lint in child processes: a generous bound, not a speed target.
  }, 900_000);

  it('refuses a name that is not kebab-case, writing nothing', async () => {
    const before = readFileSync(join(copy, 'infra-local', 'local-debug.yaml'), 'utf8');

    const result = await run(copy, ['setup.js', 'new-function', 'Demo_Fn']);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('"Demo_Fn" is not a function name: use kebab-case');
    expect(existsSync(join(copy, 'functions', 'Demo_Fn'))).toBe(false);
    expect(readFileSync(join(copy, 'infra-local', 'local-debug.yaml'), 'utf8')).toBe(before);
  });

  it('when a step after the first write fails (here the OpenAPI generator), puts every file back as it was', async () => {
    const state = async () => {
      const { stdout: status } = await exec('git', ['status', '--porcelain', '--untracked-files=all'], {
        cwd: copy,
      });
      const { stdout: diff } = await exec('git', ['diff'], { cwd: copy, maxBuffer: 64 * 1024 * 1024 });
      return { status, diff };
    };
    const generator = join(copy, 'tools', 'openapi', 'document.ts');
    const working = readFileSync(generator, 'utf8');
    const before = await state();
    writeFileSync(generator, `${working}\nthrow new Error('generator broken on purpose');\n`);
    try {
      const result = await run(copy, ['setup.js', 'new-function', 'other-fn']);

      expect(result.code).toBe(1);
      expect(result.stderr).toContain('openapi.json could not be regenerated');
      expect(result.stderr).toContain('Nothing was changed: every file is as it was.');
    } finally {
      writeFileSync(generator, working);
    }
    expect(await state()).toEqual(before);
    expect(existsSync(join(copy, 'functions', 'other-fn'))).toBe(false);
  });

  it('refuses a function that exists, naming the conflict', async () => {
    const result = await run(copy, ['setup.js', 'new-function', 'price-fetcher']);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('cannot create price-fetcher: functions/price-fetcher exists');
  });
});
