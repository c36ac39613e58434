import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** The first-load budget: gzip bytes of JavaScript that index.html loads before anything else happens. */
export const FIRST_LOAD_JS_BUDGET = 50 * 1024;

export interface FirstLoad {
  files: Array<{ file: string; bytes: number; gzip: number }>;
  gzip: number;
  inlineScripts: number;
}

const attribute = (tag: string, name: string): string | undefined =>
  new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];

/**
 * What a browser fetches as JavaScript on the first load of the built page: the module scripts and the
 * modulepreload links of dist/index.html. Also counts inline scripts, which the CSP forbids.
 */
export const measureFirstLoad = async (distDir: string): Promise<FirstLoad> => {
  const html = await readFile(join(distDir, 'index.html'), 'utf8');
  const sources = new Set<string>();
  let inlineScripts = 0;
  for (const [tag] of html.matchAll(/<script\b[^>]*>/g)) {
    const src = attribute(tag, 'src');
    // A script element without src runs its text: an inline script, whatever it holds.
    if (src) sources.add(src);
    else inlineScripts += 1;
  }
  for (const [tag] of html.matchAll(/<link\b[^>]*rel="modulepreload"[^>]*>/g)) {
    const href = attribute(tag, 'href');
    if (href) sources.add(href);
  }
  const files = await Promise.all(
    [...sources].map(async (src) => {
      const bytes = await readFile(join(distDir, src.replace(/^\//, '')));
      return { file: src, bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
    }),
  );
  return { files, gzip: files.reduce((sum, file) => sum + file.gzip, 0), inlineScripts };
};
