import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The repository root: the nearest folder above `from` that holds the SAM template. */
export const repoRoot = (from: string = process.cwd()): string => {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, 'infra-local', 'local-debug.yaml'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No infra-local/local-debug.yaml above ${from}`);
    dir = parent;
  }
};

export const templatePath = (root: string): string => join(root, 'infra-local', 'local-debug.yaml');
/**
 * Git-ignored folder for lite-mode state: the DynamoDB data, pid files and logs. `LITE_STATE_DIR` moves it
 * (tests use a temp folder so they never touch a developer's running stores).
 */
export const stateDir = (root: string): string => process.env.LITE_STATE_DIR ?? join(root, '.local');
