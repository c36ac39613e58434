import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readTemplate } from '#build/template.ts';
import { templatePath } from '#build/paths.ts';

interface Budget {
  /** index.mjs: what every cold start reads and compiles. */
  bundleBytes: number;
  /** index.mjs and its lazily loaded chunks: all the code in the zip. */
  codeBytes: number;
  zipBytes: number;
}

const root = process.cwd();
const budgets = JSON.parse(readFileSync(join(root, 'bench', 'size-budget.json'), 'utf8')) as Record<
  string,
  Budget | string
>;
const functions = readTemplate(templatePath(root)).map((fn) => fn.name);

describe('bundle size budget (dist/ is built by the test setup; builds are deterministic)', () => {
  it('has a budget for every function in the template', () => {
    expect(functions.filter((name) => typeof budgets[name] !== 'object')).toEqual([]);
  });

  it.each(functions)('%s stays within its budget', (name) => {
    const budget = budgets[name] as Budget;
    const outdir = join(root, 'dist', name);
    const bundleBytes = statSync(join(outdir, 'index.mjs')).size;
    const codeBytes = readdirSync(outdir, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.mjs'))
      .reduce((sum, file) => sum + statSync(join(outdir, file)).size, 0);
    const zipBytes = statSync(join(root, 'dist', `${name}.zip`)).size;

    expect(bundleBytes).toBeLessThanOrEqual(budget.bundleBytes);
    expect(codeBytes).toBeLessThanOrEqual(budget.codeBytes);
    expect(zipBytes).toBeLessThanOrEqual(budget.zipBytes);
  });
});
