import { spawnSync } from 'node:child_process';

/**
 * The layout's import rules are enforced by ESLint (eslint.config.js, no-restricted-imports). Each case
 * plants one import in a file of a given folder and runs the real ESLint CLI on it (through stdin, so
 * nothing is written to the tree): the forbidden ones must fail lint, the allowed ones must pass.
 */
/** Lints each (file path, source) pair with the project's real ESLint config, in one child process. */
const lintAll = (cases: [string, string][]): { code: number; messages: string[] }[] => {
  const script = `
    import { ESLint } from 'eslint';
    const cases = JSON.parse(process.argv[1]);
    const eslint = new ESLint();
    const out = [];
    for (const [filePath, source] of cases) {
      const [result] = await eslint.lintText(source, { filePath });
      out.push({ errors: result.errorCount, messages: result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message) });
    }
    process.stdout.write(JSON.stringify(out));
  `;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(cases)], {
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`eslint failed: ${run.stderr}`);
  return (JSON.parse(run.stdout) as { errors: number; messages: string[] }[]).map(({ errors, messages }) => ({
    code: errors > 0 ? 1 : 0,
    messages,
  }));
};

const planted = (specifier: string) =>
  `import { planted } from '${specifier}';\nexport const used = planted;\n`;

const FORBIDDEN: [string, string][] = [
  ['functions/price-fetcher/src/planted.ts', '#tools/release/vault.ts'],
  ['functions/price-fetcher/src/planted.ts', '#infra-local/lite/stores.ts'],
  ['functions/price-fetcher/src/planted.ts', '#bench/lib/stats.ts'],
  ['functions/price-fetcher/src/planted.ts', '#testing/test-stores.ts'],
  ['functions/price-fetcher/src/planted.ts', '#functions/config-service/src/service.ts'],
  ['functions/price-fetcher/src/planted.ts', '../../config-service/src/service.ts'],
  ['functions/price-fetcher/tests/planted.test.ts', '#infra-local/lite/stores.ts'],
  ['functions/price-fetcher/tests/planted.test.ts', '#tools/load/plan.ts'],
  ['common/kernel/planted.ts', '#functions/price-fetcher/src/service.ts'],
  ['common/middleware/planted.ts', '#tools/release/vault.ts'],
  ['common/http/planted.ts', '#infra-local/lite/api-server.ts'],
  ['common/models/planted.ts', '#bench/lib/stats.ts'],
  ['common/clients/planted.ts', '#testing/free-port.ts'],
  ['build/planted.ts', '#infra-local/lite/stores.ts'],
  ['build/planted.ts', '#tools/local/invoke.ts'],
  ['tools/release/cli/planted.ts', '../../../common/constants/audit.ts'],
];

const ALLOWED: [string, string][] = [
  ['functions/price-fetcher/src/planted.ts', '#common/constants/audit.ts'],
  ['functions/price-fetcher/src/planted.ts', './service.ts'],
  ['functions/price-fetcher/tests/planted.test.ts', '#testing/test-stores.ts'],
  ['functions/price-fetcher/tests/planted.test.ts', '../src/service.ts'],
  ['common/kernel/planted.ts', '../middleware/audit.ts'],
  ['common/adapters/tests/planted.test.ts', '#testing/test-stores.ts'],
  ['tools/release/planted.ts', '#common/constants/audit.ts'],
  ['infra-local/lite/planted.ts', '#build/build-options.ts'],
];

describe('import boundaries (eslint.config.js)', () => {
  let forbidden: { code: number; messages: string[] }[];
  let allowed: { code: number; messages: string[] }[];
  beforeAll(() => {
    forbidden = lintAll(FORBIDDEN.map(([file, specifier]) => [file, planted(specifier)]));
    allowed = lintAll(ALLOWED.map(([file, specifier]) => [file, planted(specifier)]));
  });

  it.each(FORBIDDEN.map((pair, index) => [...pair, index] as const))(
    '%s may not import %s',
    (_file, _specifier, index) => {
      expect(forbidden[index]).toEqual({ code: 1, messages: [expect.any(String)] });
    },
  );

  it.each(ALLOWED.map((pair, index) => [...pair, index] as const))(
    '%s may import %s',
    (_file, _specifier, index) => {
      expect(allowed[index]).toEqual({ code: 0, messages: [] });
    },
  );
});
