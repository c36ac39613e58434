import { isBuiltin } from 'node:module';
import type { Plugin } from 'esbuild';

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
