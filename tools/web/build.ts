// Builds the web app (web/ -> web/dist) with Vite and checks it: the first-load JavaScript within its
// gzip budget, and no inline script (the page runs under a CSP with script-src 'self'). CI runs it.
// Usage: node tools/web/build.ts
import { join } from 'node:path';
import { build } from 'vite';
import { repoRoot } from '#build/paths.ts';
import { FIRST_LOAD_JS_BUDGET, measureFirstLoad } from './budget.ts';

const root = repoRoot();
await build({ configFile: join(root, 'web', 'vite.config.ts'), logLevel: 'warn' });
const firstLoad = await measureFirstLoad(join(root, 'web', 'dist'));
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
for (const file of firstLoad.files) {
  process.stdout.write(`  ${file.file}  ${kb(file.bytes)}, gzip ${kb(file.gzip)}\n`);
}
process.stdout.write(
  `build:web: first-load JS ${kb(firstLoad.gzip)} gzip (budget ${kb(FIRST_LOAD_JS_BUDGET)}), ${firstLoad.inlineScripts} inline scripts\n`,
);
if (firstLoad.gzip > FIRST_LOAD_JS_BUDGET) {
  process.stderr.write('build:web: over the first-load budget\n');
  process.exitCode = 1;
}
if (firstLoad.inlineScripts > 0) {
  process.stderr.write("build:web: index.html has an inline script; the CSP allows script-src 'self' only\n");
  process.exitCode = 1;
}
if (firstLoad.files.length === 0) {
  process.stderr.write('build:web: index.html loads no script: the build is broken\n');
  process.exitCode = 1;
}
