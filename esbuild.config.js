/**
 * The production build's command line: one bundle and one deterministic zip per function of the SAM
 * template (build/build-functions.ts holds the build; build/build-options.ts the esbuild options).
 *
 * Usage: node esbuild.config.js [--function <name>]...
 */
import { parseArgs } from 'node:util';
import { buildFunctions } from './build/build-functions.ts';
import { repoRoot } from './build/paths.ts';

const { values } = parseArgs({ options: { function: { type: 'string', multiple: true, default: [] } } });
const started = performance.now();
const built = await buildFunctions(repoRoot(), values.function);
for (const { name, zip, bytes, chunkBytes } of built) {
  const kib = (value) => `${(value / 1024).toFixed(0)} KiB`;
  process.stderr.write(`built ${name}: ${zip} (index.mjs ${kib(bytes)}, lazy chunks ${kib(chunkBytes)})\n`);
}
process.stderr.write(`build finished in ${Math.round(performance.now() - started)} ms\n`);
