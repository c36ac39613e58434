import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { buildOptions } from '../../infra-local/lite/build-options.ts';

/** A build variant: the production settings with one or more choices changed. */
export interface Variant {
  id: string;
  format: 'esm' | 'cjs';
  sdk: 'bundled' | 'external';
  minify: boolean;
}

export const PRODUCTION: Variant = { id: 'esm-bundled-min', format: 'esm', sdk: 'bundled', minify: true };

export const VARIANTS: Variant[] = [
  PRODUCTION,
  { id: 'esm-bundled-plain', format: 'esm', sdk: 'bundled', minify: false },
  { id: 'esm-external-min', format: 'esm', sdk: 'external', minify: true },
  { id: 'cjs-bundled-min', format: 'cjs', sdk: 'bundled', minify: true },
  { id: 'cjs-external-min', format: 'cjs', sdk: 'external', minify: true },
];

export interface BuiltBundle {
  file: string;
  rawBytes: number;
  /** The bundle deflated as a zip would store it (source map excluded, to compare code size). */
  zippedBytes: number;
}

const EVAL_MARKS = {
  start: 'globalThis.__benchEvalStart = performance.now();',
  end: 'globalThis.__benchEvalEnd = performance.now();',
};

/**
 * Builds `entry` with the production esbuild options of esbuild.config.js, changed only as the variant
 * says, plus two marks that split the cold start into load and init. Written under bench/.tmp so that an
 * external AWS SDK resolves from the repository's node_modules, as it would from the Lambda runtime's.
 */
export const buildVariant = async (
  root: string,
  name: string,
  entry: string,
  variant: Variant,
): Promise<BuiltBundle> => {
  const base = buildOptions(root, name) as esbuild.BuildOptions & { banner: { js: string } };
  const outdir = join(root, 'bench', '.tmp', name, variant.id);
  mkdirSync(outdir, { recursive: true });
  const extension = variant.format === 'esm' ? '.mjs' : '.cjs';
  await esbuild.build({
    ...base,
    entryPoints: { index: entry },
    outdir,
    outExtension: { '.js': extension },
    format: variant.format,
    minify: variant.minify,
    mainFields: variant.format === 'esm' ? ['module', 'main'] : ['main', 'module'],
    external: variant.sdk === 'external' ? ['@aws-sdk/*', '@smithy/*'] : [],
    banner: { js: `${EVAL_MARKS.start}${variant.format === 'esm' ? base.banner.js : ''}` },
    footer: { js: EVAL_MARKS.end },
    metafile: false,
    logLevel: 'error',
  });
  const file = join(outdir, `index${extension}`);
  return {
    file,
    rawBytes: statSync(file).size,
    zippedBytes: deflateRawSync(readFileSync(file), { level: 9 }).length,
  };
};
