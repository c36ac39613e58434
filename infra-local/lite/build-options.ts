import { isBuiltin } from 'node:module';
import { join } from 'node:path';
import type { BuildOptions, Plugin } from 'esbuild';

/**
 * Node built-ins imported by bundled ESM code are loaded with require() instead. An ESM import of a built-in
 * builds a facade that reads every export, and reading node:http's lazy WebSocket export loads undici (with
 * assert, http2 and worker_threads): about 30 ms of a cold start spent on code nothing calls. require()
 * reads an export only when it is used. Measured with `npm run bench`; see README, Performance.
 */
export const builtinsThroughRequire: Plugin = {
  name: 'builtins-through-require',
  setup(build) {
    build.onResolve({ filter: /^(node:)?[a-z][a-z0-9_/]*$/ }, (args) => {
      if (!isBuiltin(args.path)) return undefined;
      if (args.namespace === 'builtin-require' || args.kind === 'require-call') {
        return { path: args.path, external: true };
      }
      return { path: args.path, namespace: 'builtin-require' };
    });
    build.onLoad({ filter: /.*/, namespace: 'builtin-require' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};

const LAMBDA_ENTRY = 'lambda-entry:';

/**
 * The Lambda entry of a function (`lambda-entry:functions/<name>/src/handler.ts`, relative to the build's
 * working directory, so no machine's path reaches the source map): re-exports the handler module and awaits
 * its `ready` export at the top level. Lambda runs an ES module's top-level await during init, at full CPU
 * and before the first request, so the warm-up (FunctionKernel.warmUp) is not paid by the first caller.
 * The handler module itself has no top-level await, so tests (CommonJS under Jest) load it and await
 * `ready` themselves.
 */
export const lambdaEntry: Plugin = {
  name: 'lambda-entry',
  setup(build) {
    const root = build.initialOptions.absWorkingDir ?? process.cwd();
    build.onResolve({ filter: /^lambda-entry:/ }, (args) => ({
      path: args.path.slice(LAMBDA_ENTRY.length),
      namespace: 'lambda-entry',
    }));
    build.onLoad({ filter: /.*/, namespace: 'lambda-entry' }, (args) => {
      const handler = JSON.stringify(`./${args.path}`);
      return {
        contents: `export * from ${handler};\nimport { ready } from ${handler};\nawait ready;\n`,
        loader: 'js',
        resolveDir: root,
      };
    });
  },
};

/** The esbuild entry point of a function's Lambda entry (see lambdaEntry). */
export const lambdaEntryPoint = (name: string): string =>
  `${LAMBDA_ENTRY}${['functions', name, 'src', 'handler.ts'].join('/')}`;

/** The handler module behind an entry point given to esbuild (itself, if it is not a Lambda entry). */
export const handlerOfEntryPoint = (root: string, entry: string): string =>
  entry.startsWith(LAMBDA_ENTRY) ? join(root, entry.slice(LAMBDA_ENTRY.length)) : entry;

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
