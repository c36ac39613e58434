import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as esbuild from 'esbuild';
import { buildOptions } from './build-options.ts';
import { repoRoot, templatePath } from './paths.ts';
import { readTemplate } from './template.ts';
import { writeZip } from './zip.ts';

/** What one function's build wrote. */
export interface BuiltFunction {
  name: string;
  /** The zip, relative to the repository root. */
  zip: string;
  /** Size of dist/<name>/index.mjs. */
  bytes: number;
  /** Total size of the lazily loaded chunks. */
  chunkBytes: number;
}

/**
 * Builds one bundle and one deterministic zip per function, for Lambda nodejs22.x with handler
 * `index.handler`: dist/<name>/index.mjs (+ chunks/*.mjs and a .map for each), dist/<name>.zip and
 * dist/<name>.meta.json. The functions are the ones the SAM template declares (infra-local/local-debug.yaml):
 * one list for the build, SAM, the lite runner and the stack. `only` narrows it; an unknown name throws.
 */
export const buildFunctions = async (
  root = repoRoot(),
  only: readonly string[] = [],
): Promise<BuiltFunction[]> => {
  const declared = readTemplate(templatePath(root));
  const functions = declared.filter((fn) => only.length === 0 || only.includes(fn.name));
  if (only.length > 0 && functions.length !== only.length) {
    throw new Error(
      `Unknown function in ${only.join(', ')}; the template declares ${declared.map((fn) => fn.name).join(', ')}`,
    );
  }
  mkdirSync(join(root, 'dist'), { recursive: true });
  const built: BuiltFunction[] = [];
  for (const fn of functions) {
    const outdir = join(root, 'dist', fn.name);
    rmSync(outdir, { recursive: true, force: true });
    const result = await esbuild.build(buildOptions(root, fn.name));
    const zipPath = join(root, 'dist', `${fn.name}.zip`);
    const files = Object.keys(result.metafile.outputs).map((output) => relative(outdir, join(root, output)));
    await writeZip(outdir, files, zipPath);
    writeFileSync(join(root, 'dist', `${fn.name}.meta.json`), JSON.stringify(result.metafile));
    built.push({
      name: fn.name,
      zip: relative(root, zipPath),
      bytes: statSync(join(outdir, 'index.mjs')).size,
      chunkBytes: files
        .filter((file) => file.startsWith('chunks/') && file.endsWith('.mjs'))
        .reduce((sum, file) => sum + statSync(join(outdir, file)).size, 0),
    });
  }
  return built;
};
