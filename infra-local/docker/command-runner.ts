import { execFile } from 'node:child_process';

/** What a finished command gave back. `code` is 127 when the program is not installed (not on PATH). */
export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CommandOptions {
  cwd?: string;
  /** Kills the command after this long; the result then has a non-zero code. */
  timeoutMs?: number;
}

/**
 * Runs an external CLI (docker, sam, aws). The Docker-mode orchestration takes one as a parameter, so its
 * logic is tested with a recording fake where no Docker engine exists.
 */
export type CommandRunner = (
  command: string,
  args: readonly string[],
  options?: CommandOptions,
) => Promise<CommandResult>;

export const NOT_INSTALLED = 127;

/** The real runner: no shell (arguments are never re-parsed), output captured, never throws. */
export const runCommand: CommandRunner = (command, args, options = {}) =>
  new Promise((resolve) => {
    execFile(
      command,
      [...args],
      {
        cwd: options.cwd,
        timeout: options.timeoutMs ?? 0,
        maxBuffer: 16 * 1024 * 1024,
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        if (!error) return resolve({ code: 0, stdout, stderr });
        const { code } = error as NodeJS.ErrnoException & { code?: string | number };
        if (code === 'ENOENT')
          return resolve({ code: NOT_INSTALLED, stdout: '', stderr: `${command}: not found` });
        resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr: stderr || error.message });
      },
    );
  });
