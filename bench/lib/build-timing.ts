import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, symlinkSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { buildOptions } from '#build/build-options.ts';
import type { Summary } from './stats.ts';
import { summarize } from './stats.ts';

/** Wall time of `npm run build` (all functions, zips included), each run a fresh process. */
export const measureFullBuild = (root: string, runs: number): Summary => {
  const times: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const start = performance.now();
    execFileSync(process.execPath, [join(root, 'esbuild.config.js')], { cwd: root, stdio: 'ignore' });
    times.push(performance.now() - start);
  }
  return summarize(times);
};

/** A copy of the sources under bench/.tmp (node_modules linked), so benchmarks can edit files freely. */
export const copySources = (root: string, name: string): string => {
  const copy = join(root, 'bench', '.tmp', name);
  rmSync(copy, { recursive: true, force: true });
  mkdirSync(copy, { recursive: true });
  for (const entry of ['functions', 'common', 'build', 'infra-local', 'esbuild.config.js', 'package.json']) {
    cpSync(join(root, entry), join(copy, entry), { recursive: true });
  }
  symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'), 'dir');
  return copy;
};

/**
 * The hot-reload path: an esbuild context kept open, one source file changed, `rebuild()`. Runs on a copy
 * of the sources so the working tree is never touched.
 */
export const measureIncrementalRebuild = async (
  root: string,
  name: string,
  runs: number,
): Promise<Summary> => {
  const copy = copySources(root, 'src-copy');
  const context = await esbuild.context({ ...buildOptions(copy, name), metafile: false, logLevel: 'error' });
  try {
    await context.rebuild();
    const changed = join(copy, 'functions', name, 'src', 'service.ts');
    const original = readFileSync(changed, 'utf8');
    const times: number[] = [];
    for (let run = 0; run < runs; run += 1) {
      writeFileSync(changed, `${original}\n// edit ${run}\n`);
      const start = performance.now();
      await context.rebuild();
      times.push(performance.now() - start);
    }
    return summarize(times);
  } finally {
    await context.dispose();
    rmSync(copy, { recursive: true, force: true });
  }
};
