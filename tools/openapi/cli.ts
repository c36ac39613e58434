// Writes openapi.json from the Zod schemas the functions validate with, and the web app's client types
// from it; with --check, fails when a committed file differs from what the schemas give (npm run lint).
// Usage: node tools/openapi/cli.ts [--check] [--dir <folder to write or check in place of the repo root>]
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from '#build/paths.ts';
import { renderGeneratedFiles } from './render.ts';

const { values } = parseArgs({
  options: { check: { type: 'boolean', default: false }, dir: { type: 'string' } },
});
const root = repoRoot();
const files = await renderGeneratedFiles(root);
const target = values.dir ? resolve(values.dir) : root;

if (values.check) {
  const stale: string[] = [];
  for (const file of files) {
    const committed = await readFile(join(target, file.path), 'utf8').catch(() => '');
    if (committed !== file.text) stale.push(file.path);
  }
  if (stale.length > 0) {
    process.stderr.write(
      `openapi: ${stale.join(', ')} out of date with the Zod schemas (functions/*/src/dto.ts, common/models). Run: npm run openapi\n`,
    );
    process.exit(1);
  }
  process.stderr.write(`openapi: ${files.map((file) => file.path).join(', ')} up to date\n`);
} else {
  for (const file of files) {
    await mkdir(dirname(join(target, file.path)), { recursive: true });
    await writeFile(join(target, file.path), file.text);
    process.stderr.write(`openapi: wrote ${file.path}\n`);
  }
}
