import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HttpReply } from './proxy-result.ts';

const here = dirname(fileURLToPath(import.meta.url));
const swaggerDir = (): string =>
  dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

/**
 * The Swagger UI page allows its own scripts only (no inline script, no CDN). Swagger UI sets style
 * attributes, hence inline styles; it fetches nothing but /openapi.json.
 */
const DOCS_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

interface DocsFile {
  file: () => string;
  type: string;
}

const FILES: Readonly<Record<string, DocsFile>> = {
  '/docs': { file: () => join(here, 'docs', 'index.html'), type: 'text/html; charset=utf-8' },
  '/docs/docs-init.js': { file: () => join(here, 'docs', 'docs-init.js'), type: 'text/javascript' },
  '/docs/swagger-ui.css': { file: () => join(swaggerDir(), 'swagger-ui.css'), type: 'text/css' },
  '/docs/swagger-ui-bundle.js': {
    file: () => join(swaggerDir(), 'swagger-ui-bundle.js'),
    type: 'text/javascript',
  },
};

/**
 * `GET /openapi.json` (the committed document, read on each request so `npm run openapi` shows at once)
 * and the readable page at `/docs`. Neither needs a token: the contract is public, the data is not.
 * Returns undefined for any other request, which the API then serves.
 */
export const docsReply = async (
  root: string,
  method: string,
  path: string,
): Promise<HttpReply | undefined> => {
  if (method !== 'GET') return undefined;
  const target = path === '/docs/' ? '/docs' : path;
  const entry: DocsFile | undefined =
    target === '/openapi.json'
      ? { file: () => join(root, 'openapi.json'), type: 'application/json' }
      : Object.hasOwn(FILES, target)
        ? FILES[target]
        : undefined;
  if (!entry) return undefined;
  const body = await readFile(entry.file());
  return {
    statusCode: 200,
    headers: [
      'Content-Type',
      entry.type,
      'Cache-Control',
      'no-cache',
      'X-Content-Type-Options',
      'nosniff',
      'Content-Security-Policy',
      DOCS_CSP,
    ],
    body,
  };
};
