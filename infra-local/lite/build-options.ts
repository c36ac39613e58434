import { join } from 'node:path';
import type { BuildOptions } from 'esbuild';

/**
 * esbuild options for one function: `functions/<name>/src/handler.ts` to `dist/<name>/index.mjs`, for Lambda
 * nodejs22.x with handler `index.handler`. The one definition the build (esbuild.config.js), the hot-reload
 * server (start-api) and benchmarks share, so what runs locally is what ships.
 */
export const buildOptions = (root: string, name: string) =>
  ({
    absWorkingDir: root,
    entryPoints: { index: join(root, 'functions', name, 'src', 'handler.ts') },
    outdir: join(root, 'dist', name),
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    // Some bundled CommonJS dependencies call require() for Node built-ins; ESM output needs a real one.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
    mainFields: ['module', 'main'],
    minify: true,
    keepNames: true,
    // Linked maps without sources: breakpoints in the .ts files map through dist/<name>/index.mjs.map.
    sourcemap: 'linked',
    sourcesContent: false,
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
  }) satisfies BuildOptions;
