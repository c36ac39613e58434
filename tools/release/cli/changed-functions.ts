import { readdir } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { changedFunctions } from '../changed-functions.ts';
import { info, out, runCli } from '../cli-support.ts';
import { createGitRunner } from '../git.ts';

// npm run -s release:changed -- --base <sha> [--head HEAD]
// Prints a JSON array of the changed functions, for a workflow output. An unknown base (first push, force
// push) means everything changed.
runCli(async () => {
  const { values } = parseArgs({
    options: { base: { type: 'string' }, head: { type: 'string', default: 'HEAD' } },
  });
  const all = (await readdir('functions', { withFileTypes: true }).catch(() => []))
    .filter((d) => d.isDirectory())
    .map((d) => d.name);
  const git = createGitRunner();
  const base = values.base && !/^0+$/.test(values.base) ? values.base : null;
  const known = base
    ? await git(['cat-file', '-e', `${base}^{commit}`]).then(
        () => true,
        () => false,
      )
    : false;
  if (!known) {
    info(`base ${values.base ?? '(none)'} is unknown; treating every function as changed`);
    out(JSON.stringify([...all].sort()));
    return;
  }
  const paths = (await git(['diff', '--name-only', `${base}...${values.head}`])).split('\n').filter(Boolean);
  const changed = changedFunctions(paths, all);
  info(`${paths.length} changed file(s); functions: ${changed.join(', ') || 'none'}`);
  out(JSON.stringify(changed));
});
