import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readTemplate } from '../../infra-local/lite/template.ts';
import { templatePath } from '../../infra-local/lite/paths.ts';

interface Budget {
  bundleBytes: number;
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
    const bundleBytes = statSync(join(root, 'dist', name, 'index.mjs')).size;
    const zipBytes = statSync(join(root, 'dist', `${name}.zip`)).size;

    expect(bundleBytes).toBeLessThanOrEqual(budget.bundleBytes);
    expect(zipBytes).toBeLessThanOrEqual(budget.zipBytes);
  });
});
