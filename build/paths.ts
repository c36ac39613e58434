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
