// Docker mode: runs the SAM CLI on the code built in dist/, with the flags this repository needs.
//   node tools/local/sam.ts invoke <function> [--event <file>] [--debug-port <n>] [--env-vars <file>]
//        [--parameter Stage=dev]... [-- <more sam args>]          (npm run invoke:price:sam)
//   node tools/local/sam.ts start-api [--port 3000] [--debug-port <n>] [--env-vars <file>] [-- ...]
//                                                                  (npm run start-api:sam)
// It builds first (npm run build does the same), checks that `sam` and a Docker engine are there and that the
// containers of `npm run dev:env -- --docker` are up, then hands over to SAM.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildFunctions } from '#build/build-functions.ts';
import { NOT_INSTALLED, runCommand } from '#infra-local/docker/command-runner.ts';
import { DOCKER_NETWORK, dockerEngineAnswers } from '#infra-local/docker/compose-stack.ts';
import { samInvokeArgs, samStartApiArgs } from '#infra-local/docker/sam-args.ts';
import { findFunction } from '#infra-local/lite/lite-env.ts';
import { repoRoot, templatePath } from '#build/paths.ts';

const fail = (message: string, code = 2): never => {
  process.stderr.write(`sam: ${message}\n`);
  process.exit(code);
};

const { values, positionals } = (() => {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        event: { type: 'string', short: 'e' },
        port: { type: 'string', default: '3000' },
        'debug-port': { type: 'string', short: 'd' },
        'env-vars': { type: 'string', short: 'n' },
        parameter: { type: 'string', multiple: true, default: [] },
      },
    });
  } catch (error) {
    return fail((error as Error).message);
  }
})();
// Everything after `--` goes to SAM unchanged.
const separator = process.argv.indexOf('--');
const extra = separator >= 0 ? process.argv.slice(separator + 1) : [];
const [command, functionName] =
  separator >= 0 ? positionals.slice(0, positionals.length - extra.length) : positionals;

const root = repoRoot();
const port = (text: string | undefined, flag: string): number | undefined => {
  if (text === undefined) return undefined;
  const value = Number(text);
  return Number.isInteger(value) && value > 0 && value < 65536 ? value : fail(`${flag} takes a port number`);
};
const parameterOverrides = Object.fromEntries(
  values.parameter.map((text) => {
    const at = text.indexOf('=');
    return at > 0 ? [text.slice(0, at), text.slice(at + 1)] : fail(`--parameter "${text}" is not Name=value`);
  }),
);
const common = {
  templateFile: relative(root, templatePath(root)),
  debugPort: port(values['debug-port'], '--debug-port'),
  envVarsFile: values['env-vars'] ? relative(root, resolve(values['env-vars'])) : undefined,
  parameterOverrides,
  extra,
};

let args: string[];
let only: string[] = [];
if (command === 'invoke') {
  const fn = (() => {
    try {
      return findFunction(root, functionName ?? fail('name the function to invoke, e.g. price-fetcher'));
    } catch (error) {
      return fail((error as Error).message);
    }
  })();
  const eventFile = values.event ?? join('infra-local', 'events', `${fn.name}-event.json`);
  if (!existsSync(resolve(root, eventFile))) fail(`event file ${eventFile} not found; pass --event <file>`);
  args = samInvokeArgs({
    ...common,
    logicalId: fn.logicalId,
    eventFile: relative(root, resolve(root, eventFile)),
  });
  only = [fn.name];
} else if (command === 'start-api') {
  args = samStartApiArgs({ ...common, port: port(values.port, '--port')! });
} else {
  fail('usage: node tools/local/sam.ts invoke <function> [--event <file>] | start-api [--port <n>]');
}

const version = await runCommand('sam', ['--version'], { timeoutMs: 30_000 });
if (version.code === NOT_INSTALLED) {
  fail(
    'the SAM CLI is not installed (no "sam" on PATH). Install it (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/install-sam-cli.html), or use lite mode: npm run invoke:price / npm run start-api',
    127,
  );
}
if (!(await dockerEngineAnswers(runCommand))) {
  fail(
    'SAM runs functions in Docker and no Docker engine answers ("docker info" failed); start Docker, or use lite mode',
    1,
  );
}
if ((await runCommand('docker', ['network', 'inspect', DOCKER_NETWORK], { timeoutMs: 10_000 })).code !== 0) {
  fail(
    `the Docker stack is not running (no network ${DOCKER_NETWORK}); start it with: npm run dev:env -- --docker`,
    1,
  );
}

for (const { name, zip } of await buildFunctions(root, only))
  process.stderr.write(`sam: built ${name} (${zip})\n`);
process.stderr.write(`sam: ${version.stdout.trim()}: sam ${args!.join(' ')}\n`);
const child = spawn('sam', args!, { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
