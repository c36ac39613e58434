/**
 * Builds one bundle and one zip per function, for Lambda nodejs22.x with handler `index.handler`:
 *   dist/<function>/index.mjs (+ chunks/*.mjs, loaded lazily, and a .map for each)
 *   dist/<function>.zip   dist/<function>.meta.json
 * The functions are the ones the SAM template declares (infra-local/local-debug.yaml): one list for the
 * build, SAM and the lite runner. Zips are deterministic (fixed timestamps, sorted entries), so the same
 * source gives the same bytes and the same SHA-256 in the vault.
 *
 * Usage: node esbuild.config.js [--function <name>]...
 */
import { createWriteStream, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as esbuild from 'esbuild';
import yazl from 'yazl';
import { repoRoot, templatePath } from './infra-local/lite/paths.ts';
import { buildOptions } from './infra-local/lite/build-options.ts';
import { readTemplate } from './infra-local/lite/template.ts';

// The options live in the lite runner (which jest-tested code can import: this file uses import.meta);
// re-exported so benchmarks and other tooling keep importing them from here.
export { buildOptions };

const ZIP_MTIME = new Date('2000-01-01T00:00:00Z');

const writeZip = (dir, files, zipPath) =>
  new Promise((resolve, reject) => {
    const zip = new yazl.ZipFile();
    for (const file of [...files].sort()) {
      zip.addBuffer(readFileSync(join(dir, file)), file, { mtime: ZIP_MTIME, mode: 0o100644 });
    }
    zip.end();
    zip.outputStream.pipe(createWriteStream(zipPath)).on('close', resolve).on('error', reject);
  });

/** Builds the named functions (all of the template's by default). Returns what it wrote. */
export const buildFunctions = async (root = repoRoot(), only = []) => {
  const functions = readTemplate(templatePath(root)).filter(
    (fn) => only.length === 0 || only.includes(fn.name),
  );
  if (only.length > 0 && functions.length !== only.length) {
    throw new Error(
      `Unknown function in ${only.join(', ')}; the template declares ${readTemplate(templatePath(root))
        .map((fn) => fn.name)
        .join(', ')}`,
    );
  }
  mkdirSync(join(root, 'dist'), { recursive: true });
  const built = [];
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

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { function: { type: 'string', multiple: true, default: [] } } });
  const started = performance.now();
  const built = await buildFunctions(repoRoot(), values.function);
  for (const { name, zip, bytes, chunkBytes } of built) {
    const kib = (value) => `${(value / 1024).toFixed(0)} KiB`;
    process.stderr.write(`built ${name}: ${zip} (index.mjs ${kib(bytes)}, lazy chunks ${kib(chunkBytes)})\n`);
  }
  process.stderr.write(`build finished in ${Math.round(performance.now() - started)} ms\n`);
}
