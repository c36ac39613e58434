import { spawn } from 'node:child_process';
import inspector from 'node:inspector';

/** Set in the relaunched process, so it knows a debugger is (or will be) attached. */
export const UNDER_DEBUGGER_ENV = 'LITE_UNDER_DEBUGGER';

/** True when this process runs with an inspector: relaunched by `--debug`, or started by an IDE. */
export const underDebugger = (): boolean =>
  process.env[UNDER_DEBUGGER_ENV] === '1' || inspector.url() !== undefined;

/**
 * Re-runs this script under `node --inspect` (or `--inspect-brk`, which waits for the debugger before the
 * first line). Worker threads cannot take --inspect themselves, but the process inspector reaches them:
 * VS Code and Chrome DevTools attach to each execution environment's worker. Resolves with the exit code.
 */
export const relaunchUnderInspector = (options: {
  script: string;
  args: string[];
  host?: string;
  port: number;
  waitForDebugger: boolean;
}): Promise<number> => {
  const flag = options.waitForDebugger ? '--inspect-brk' : '--inspect';
  const child = spawn(
    process.execPath,
    [
      ...process.execArgv,
      `${flag}=${options.host ?? '127.0.0.1'}:${options.port}`,
      options.script,
      ...options.args,
    ],
    { stdio: 'inherit', env: { ...process.env, [UNDER_DEBUGGER_ENV]: '1' } },
  );
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  const onInt = forward('SIGINT');
  const onTerm = forward('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
};

/** The arguments without the debug flags the parent consumed (`--debug`, `--debug-port <n>`). */
export const withoutDebugFlags = (args: string[]): string[] => {
  const kept: string[] = [];
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index]!;
    if (arg === '--debug') continue;
    if (arg === '--debug-port') {
      index += 1;
      continue;
    }
    if (arg.startsWith('--debug-port=')) continue;
    kept.push(arg);
  }
  return kept;
};
