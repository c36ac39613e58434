#!/usr/bin/env node
/**
 * The project scaffolder.
 *   node setup.js                        (npm run setup) checks the prerequisites, the folder structure and
 *                                        which local mode (lite, docker) this machine can run
 *   node setup.js new-function <name>    creates a working function with all its layers (see docs/setup.md)
 *
 * The check uses Node built-ins only, so it runs before `npm ci` and can tell you to run it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = dirname(fileURLToPath(import.meta.url));
const USAGE =
  'usage: node setup.js            check prerequisites, structure and local modes\n       node setup.js new-function <kebab-case-name>';

/** The version of a CLI, or undefined when it is not installed or does not answer in time. */
const versionOf = (command, args = ['--version'], timeout = 15_000) => {
  try {
    return execFileSync(command, args, { encoding: 'utf8', timeout, stdio: ['ignore', 'pipe', 'pipe'] })
      .trim()
      .split('\n')[0];
  } catch {
    return undefined;
  }
};

/** The major version of the `java` on PATH (it prints its version on stderr), or undefined. */
const javaMajor = () => {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8', timeout: 15_000 });
  if (result.error || result.status !== 0) return undefined;
  const match = /version "(\d+)(?:\.(\d+))?/.exec(`${result.stderr}${result.stdout}`);
  if (!match) return undefined;
  return match[1] === '1' ? Number(match[2]) : Number(match[1]);
};
const JAVA_INSTALL =
  'Debian/Ubuntu: sudo apt-get install default-jre-headless; macOS: brew install openjdk; Windows: winget install Microsoft.OpenJDK.17';

const atLeast = (version, minimum) => {
  const [a = 0, b = 0, c = 0] = version.split('.').map(Number);
  const [x = 0, y = 0, z = 0] = minimum.split('.').map(Number);
  return a !== x ? a > x : b !== y ? b > y : c >= z;
};

/** Paths the tooling relies on: the build, the lite runner, SAM and the tests find the code through them. */
const REQUIRED_PATHS = [
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'esbuild.config.js',
  'jest.config.js',
  'common/constants',
  'common/middleware',
  'common/models',
  'tools',
  'testing',
  'build',
  'common/kernel',
  'common/types',
  'common/utils',
  'functions',
  'infra-local/local-debug.yaml',
  'infra-local/env/lite.json',
  'infra-local/events',
  'infra-local/seed/product-prices.sql',
  'infra-local/seed/oracle',
  'infra-local/docker-compose.yml',
];
const FUNCTION_LAYERS = ['src/handler.ts', 'src/env.ts', 'src/dto.ts', 'src/service.ts', 'tests'];

const check = () => {
  const lines = [];
  let failed = false;
  const row = (status, what, detail) => {
    lines.push(`  ${status.padEnd(4)} ${what.padEnd(26)} ${detail}`);
    if (status === 'FAIL') failed = true;
  };

  lines.push('Prerequisites');
  const minimum = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).engines.node.replace(
    /^[^\d]*/,
    '',
  );
  const node = process.versions.node;
  row(
    atLeast(node, minimum) ? 'ok' : 'FAIL',
    'Node.js',
    atLeast(node, minimum)
      ? `v${node}`
      : `v${node}: Node ${minimum} or later is required (Middy 7, Lambda nodejs22.x)`,
  );
  const installed = existsSync(join(root, 'node_modules', '.package-lock.json'));
  row(
    installed ? 'ok' : 'FAIL',
    'dependencies',
    installed ? 'node_modules installed' : 'not installed: run npm ci',
  );
  const java = javaMajor();
  const javaOk = java !== undefined && java >= 17;
  row(
    javaOk ? 'ok' : 'FAIL',
    'Java 17+ (DynamoDB Local)',
    javaOk
      ? `Java ${java}`
      : `${java === undefined ? 'not found' : `Java ${java} is too old`}: lite mode and the tests run DynamoDB Local; install it (${JAVA_INSTALL})`,
  );
  const docker = versionOf('docker');
  const engine = docker ? versionOf('docker', ['info', '--format', '{{.ServerVersion}}'], 5_000) : undefined;
  const compose = docker ? versionOf('docker', ['compose', 'version']) : undefined;
  row(
    docker ? 'ok' : '-',
    'Docker (optional)',
    docker
      ? `${docker}; engine ${engine ? `answers (${engine})` : 'not answering'}${compose ? `; ${compose}` : '; no compose plugin'}`
      : 'not installed',
  );
  const sam = versionOf('sam');
  row(sam ? 'ok' : '-', 'SAM CLI (optional)', sam ?? 'not installed');
  const aws = versionOf('aws');
  row(aws ? 'ok' : '-', 'AWS CLI (optional)', aws ?? 'not installed');

  lines.push('Structure');
  const missing = REQUIRED_PATHS.filter((path) => !existsSync(join(root, path)));
  row(
    missing.length === 0 ? 'ok' : 'FAIL',
    'folders and files',
    missing.length === 0 ? `${REQUIRED_PATHS.length} paths present` : `missing: ${missing.join(', ')}`,
  );
  const functionsDir = join(root, 'functions');
  for (const name of existsSync(functionsDir) ? readdirSync(functionsDir).sort() : []) {
    const absent = FUNCTION_LAYERS.filter((layer) => !existsSync(join(functionsDir, name, layer)));
    row(
      absent.length === 0 ? 'ok' : 'FAIL',
      `functions/${name}`,
      absent.length === 0 ? 'all layers present' : `missing: ${absent.join(', ')}`,
    );
  }

  lines.push('Local modes');
  const liteReady = atLeast(node, minimum) && installed && javaOk;
  row(
    liteReady ? 'ok' : 'FAIL',
    'lite (default)',
    liteReady
      ? 'available: npm run dev:env, npm run invoke:price, npm test'
      : 'needs Node 22, npm ci and Java 17+',
  );
  const dockerReady = Boolean(engine && compose && sam);
  row(
    dockerReady ? 'ok' : '-',
    'docker (SAM + XE)',
    dockerReady
      ? 'available: npm run dev:env -- --docker, npm run invoke:price:sam'
      : `not available (needs ${[!engine && 'a running Docker engine', !compose && 'docker compose', !sam && 'the SAM CLI'].filter(Boolean).join(', ')}); lite mode runs the same code`,
  );

  process.stdout.write(`${lines.join('\n')}\n`);
  process.stdout.write(failed ? 'setup: some checks failed (FAIL above)\n' : 'setup: ready\n');
  return failed ? 1 : 0;
};

const createFunction = async (name) => {
  if (!name) {
    process.stderr.write(`setup: name the function\n${USAGE}\n`);
    return 2;
  }
  const { ScaffoldError, newFunction } = await import('./tools/scaffold/new-function.ts');
  try {
    const { created, changed } = await newFunction(root, name);
    process.stdout.write(
      [
        `setup: created function ${name}`,
        ...created.map((file) => `  + ${file}`),
        ...changed.map((file) => `  ~ ${file}`),
        'Next:',
        `  npm test -- functions/${name}        its tests`,
        `  npm run invoke:${name}               invoke it locally (lite mode)`,
        `  node tools/local/sam.ts invoke ${name}   invoke it with SAM (docker mode)`,
        '',
      ].join('\n'),
    );
    return 0;
  } catch (error) {
    if (!(error instanceof ScaffoldError)) throw error;
    process.stderr.write(`setup: ${error.message}\n${error.exitCode === 2 ? `${USAGE}\n` : ''}`);
    return error.exitCode;
  }
};

const { positionals } = parseArgs({ allowPositionals: true, options: {} });
const [command = 'check', ...rest] = positionals;
if (command === 'check' && rest.length === 0) process.exitCode = check();
else if (command === 'new-function' && rest.length <= 1) process.exitCode = await createFunction(rest[0]);
else {
  process.stderr.write(`${USAGE}\n`);
  process.exitCode = 2;
}
