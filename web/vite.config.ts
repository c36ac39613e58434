import { defineConfig } from 'vite';
import type { Connect, Plugin } from 'vite';
import { contentSecurityPolicy, webConfigFromEnv } from './web-config.ts';

/**
 * Serves `/config.json` (where the API and the identity provider are) and the strict CSP header from the
 * dev and preview servers. A deployment serves the same two from its own hosting.
 */
const runtimeConfig = (): Plugin => {
  const config = webConfigFromEnv();
  const middleware =
    (origin: () => string | undefined): Connect.NextHandleFunction =>
    (req, res, next) => {
      res.setHeader('Content-Security-Policy', contentSecurityPolicy(config, origin()));
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Referrer-Policy', 'no-referrer');
      if (req.url?.split('?')[0] !== '/config.json') return next();
      res.setHeader('Content-Type', 'application/json');
      res.setHeader('Cache-Control', 'no-store');
      res.end(JSON.stringify(config));
    };
  return {
    name: 'pricing-runtime-config',
    configureServer(server) {
      server.middlewares.use(middleware(() => server.resolvedUrls?.local[0]?.replace(/\/$/, '')));
    },
    configurePreviewServer(server) {
      server.middlewares.use(middleware(() => undefined));
    },
  };
};

export default defineConfig({
  root: import.meta.dirname,
  plugins: [runtimeConfig()],
  server: { host: 'localhost', port: 5173, strictPort: true },
  preview: { host: 'localhost', port: 4173, strictPort: true },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Nothing inline: the polyfill would be the only script written into index.html.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: true,
  },
});
