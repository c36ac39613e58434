import { join } from 'node:path';
import type { Plugin } from 'esbuild';

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
