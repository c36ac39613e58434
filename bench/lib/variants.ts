import { mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { buildOptions } from '#build/build-options.ts';
import { handlerOfEntryPoint } from '#build/lambda-entry.ts';

/** A build variant: the production settings with one or more choices changed. */
export interface Variant {
  id: string;
  format: 'esm' | 'cjs';
  sdk: 'bundled' | 'external';
  minify: boolean;
  /** esbuild keepNames: function and class names survive minification (at a cost at module load). */
  keepNames?: boolean;
}

export const PRODUCTION: Variant = { id: 'esm-bundled-min', format: 'esm', sdk: 'bundled', minify: true };

export const VARIANTS: Variant[] = [
  PRODUCTION,
  { id: 'esm-bundled-plain', format: 'esm', sdk: 'bundled', minify: false },
  { id: 'esm-bundled-min-keepnames', format: 'esm', sdk: 'bundled', minify: true, keepNames: true },
  { id: 'esm-external-min', format: 'esm', sdk: 'external', minify: true },
  { id: 'cjs-bundled-min', format: 'cjs', sdk: 'bundled', minify: true },
  { id: 'cjs-external-min', format: 'cjs', sdk: 'external', minify: true },
];

export interface BuiltBundle {
  file: string;
  /** The entry file: what a cold start reads and compiles before the handler's module code runs. */
  rawBytes: number;
  /** The entry plus its lazily loaded chunks: all the code in the zip. */
  totalBytes: number;
  /** All the code deflated as a zip would store it (source maps excluded, to compare code size). */
  zippedBytes: number;
}

// With code splitting, every chunk gets these marks: the first chunk evaluated sets the start, and the entry
// (evaluated after its static imports) sets the end last. Chunks loaded later by import() do not matter: the
// probe reads the marks as soon as the entry's import resolves.
const EVAL_MARKS = {
  start: 'globalThis.__benchEvalStart ??= performance.now();',
  end: 'globalThis.__benchEvalEnd = performance.now();',
};

/**
 * Builds `entry` (a fixture, or a function's Lambda entry point) with the production esbuild options of
 * esbuild.config.js, changed only as the variant says, plus two marks that split the cold start into load
 * and init. Written under bench/.tmp so that an external AWS SDK resolves from the repository's
 * node_modules, as it would from the Lambda runtime's.
 */
export const buildVariant = async (
  root: string,
  name: string,
  entry: string,
  variant: Variant,
): Promise<BuiltBundle> => {
  const base = buildOptions(root, name) as esbuild.BuildOptions & { banner: { js: string } };
  const outdir = join(root, 'bench', '.tmp', name, variant.id);
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const extension = variant.format === 'esm' ? '.mjs' : '.cjs';
  await esbuild.build({
    ...base,
    // CommonJS has no top-level await: a CJS variant is the handler module alone, whose warm-up then
    // finishes during the first invoke instead of init (the total stays comparable).
    entryPoints: { index: variant.format === 'cjs' ? handlerOfEntryPoint(root, entry) : entry },
    outdir,
    outExtension: { '.js': extension },
    format: variant.format,
    // esbuild splits ESM output only.
    splitting: variant.format === 'esm',
    minify: variant.minify,
    keepNames: variant.keepNames ?? base.keepNames,
    mainFields: variant.format === 'esm' ? ['module', 'main'] : ['main', 'module'],
    external: variant.sdk === 'external' ? ['@aws-sdk/*', '@smithy/*'] : [],
    banner: { js: `${EVAL_MARKS.start}${variant.format === 'esm' ? base.banner.js : ''}` },
    footer: { js: EVAL_MARKS.end },
    metafile: false,
    logLevel: 'error',
  });
  const file = join(outdir, `index${extension}`);
  const code = readdirSync(outdir, { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith(extension))
    .map((path) => readFileSync(join(outdir, path)));
  return {
    file,
    rawBytes: statSync(file).size,
    totalBytes: code.reduce((sum, bytes) => sum + bytes.length, 0),
    zippedBytes: code.reduce((sum, bytes) => sum + deflateRawSync(bytes, { level: 9 }).length, 0),
  };
};
