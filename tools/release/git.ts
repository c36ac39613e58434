import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** Runs git with the given arguments and resolves with trimmed stdout. */
export type GitRunner = (args: readonly string[]) => Promise<string>;

export class GitError extends Error {
  override name = 'GitError';
}

/** A git runner bound to a working directory (the repo root by default). */
export function createGitRunner(cwd: string = process.cwd()): GitRunner {
  return async (args) => {
    try {
      const { stdout } = await execFileAsync('git', [...args], { cwd, maxBuffer: 64 * 1024 * 1024 });
      return stdout.trim();
    } catch (err) {
      const stderr = (err as { stderr?: string }).stderr?.trim();
      throw new GitError(`git ${args.join(' ')} failed${stderr ? `: ${stderr}` : ''}`);
    }
  };
}
