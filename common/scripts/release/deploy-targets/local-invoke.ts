import { spawn } from 'node:child_process';

/** Same shape as the lead's `infra-local/lite/lambda-runtime.ts` invokeLocalLambda, so either can be injected. */
export interface LocalInvokeOptions {
  codeDir: string;
  handler: string;
  env: Record<string, string>;
  event: unknown;
  timeoutSeconds?: number;
  functionName: string;
}
export type LocalInvokeResult =
  { ok: true; result: unknown } | { ok: false; error: { errorType: string; errorMessage: string } };
export type LocalInvoke = (opts: LocalInvokeOptions) => Promise<LocalInvokeResult>;

// Runs inside the child: loads the bundle like Lambda's Node runtime does and reports over IPC.
const CHILD = `
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const fs = require('node:fs');
process.once('message', async ({ codeDir, handler, event, functionName }) => {
  const dot = handler.lastIndexOf('.');
  const base = handler.slice(0, dot), exportName = handler.slice(dot + 1);
  const file = ['.mjs', '.js', '.cjs'].map((ext) => path.join(codeDir, base + ext)).find((f) => fs.existsSync(f));
  try {
    if (!file) throw Object.assign(new Error('Cannot find module ' + base), { name: 'Runtime.ImportModuleError' });
    const mod = await import(pathToFileURL(file).href);
    const fn = mod[exportName] ?? mod.default?.[exportName];
    if (typeof fn !== 'function') throw Object.assign(new Error(handler + ' is undefined or not exported'), { name: 'Runtime.HandlerNotFound' });
    const context = { functionName, functionVersion: '$LATEST', awsRequestId: 'local-' + process.pid,
      getRemainingTimeInMillis: () => 30000, callbackWaitsForEmptyEventLoop: true };
    const result = await fn(event, context);
    process.send({ ok: true, result: result === undefined ? null : result }, () => process.exit(0));
  } catch (err) {
    process.send({ ok: false, error: { errorType: err?.name ?? 'Error', errorMessage: String(err?.message ?? err) } }, () => process.exit(0));
  }
});
`;

/**
 * Invokes a bundle in a fresh Node process with only the given environment, a stand-in for the Lambda runtime
 * that also isolates module state between invokes.
 */
export const invokeInChildProcess: LocalInvoke = (opts) =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', CHILD], {
      env: { PATH: process.env.PATH ?? '', ...opts.env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let settled = false;
    const settle = (r: LocalInvokeResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const timer = setTimeout(
      () => {
        child.kill('SIGKILL');
        settle({
          ok: false,
          error: { errorType: 'Sandbox.Timedout', errorMessage: `timed out after ${timeout}s` },
        });
      },
      (opts.timeoutSeconds ?? 30) * 1000,
    );
    const timeout = opts.timeoutSeconds ?? 30;
    child.on('message', (msg) => settle(msg as LocalInvokeResult));
    child.on('exit', (code, signal) =>
      settle({
        ok: false,
        error: {
          errorType: 'Runtime.ExitError',
          errorMessage: `process exited (${signal ?? code}) without a result`,
        },
      }),
    );
    child.send({
      codeDir: opts.codeDir,
      handler: opts.handler,
      event: opts.event,
      functionName: opts.functionName,
    });
  });
