import { join } from 'node:path';
import type { BuildOptions } from 'esbuild';
import { builtinsThroughRequire } from './builtins-through-require.ts';
import { lambdaEntry, lambdaEntryPoint } from './lambda-entry.ts';

/**
 * esbuild options for one function: the Lambda entry of `functions/<name>/src/handler.ts` to
 * `dist/<name>/index.mjs` (plus the lazily loaded `chunks/`), for Lambda nodejs22.x with handler
 * `index.handler`. The one definition the build (esbuild.config.js), the hot-reload server (start-api) and
 * benchmarks share, so what runs locally is what ships.
 */
export const buildOptions = (root: string, name: string) =>
  ({
    absWorkingDir: root,
    entryPoints: { index: lambdaEntryPoint(name) },
    outdir: join(root, 'dist', name),
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    // Dynamic import() becomes a lazy chunk instead of code evaluated at load: the Oracle driver (loaded
    // only in Oracle mode) and the AWS SDK's credential providers (only the one that applies is loaded).
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    // Some bundled CommonJS dependencies call require() for Node built-ins; ESM output needs a real one.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
    mainFields: ['module', 'main'],
    minify: true,
    keepNames: false,
    // Linked maps without sources: breakpoints in the .ts files map through dist/<name>/index.mjs.map.
    sourcemap: 'linked',
    sourcesContent: false,
    legalComments: 'none',
    plugins: [lambdaEntry, builtinsThroughRequire],
    metafile: true,
    logLevel: 'warning',
  }) satisfies BuildOptions;
