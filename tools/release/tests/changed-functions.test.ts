import { execFileSync } from 'node:child_process';
import { changedFunctions } from '../changed-functions.ts';

describe('change detection per function folder', () => {
  const all = ['price-fetcher', 'config-service'];

  it('a change inside one function folder selects only that function', () => {
    expect(changedFunctions(['functions/price-fetcher/src/handler.ts', 'README.md'], all)).toEqual([
      'price-fetcher',
    ]);
  });

  it('a change in common/ selects every function', () => {
    expect(changedFunctions(['common/utils/money.ts'], all)).toEqual(['config-service', 'price-fetcher']);
  });

  it('dependency or build changes select every function', () => {
    expect(changedFunctions(['package-lock.json'], all)).toHaveLength(2);
    expect(changedFunctions(['esbuild.config.js'], all)).toHaveLength(2);
  });

  it('a change to the production build alone (build/) releases every function', () => {
    expect(changedFunctions(['build/build-options.ts'], all)).toEqual(['config-service', 'price-fetcher']);
    expect(changedFunctions(['build/lambda-entry.ts'], all)).toEqual(['config-service', 'price-fetcher']);
  });

  it('every file of the build as it stands, changed alone, releases every function', () => {
    const buildFiles = execFileSync('git', ['ls-files', 'build', 'esbuild.config.js'], { encoding: 'utf8' })
      .trim()
      .split('\n');

    expect(buildFiles.length).toBeGreaterThan(3);
    for (const file of buildFiles)
      expect([file, changedFunctions([file], all)]).toEqual([file, [...all].sort()]);
  });

  it('docs and local tooling select nothing, and unknown folders are ignored', () => {
    expect(
      changedFunctions(['docs/release.md', 'infra-local/lite/stores.ts', 'functions/removed/x.ts'], all),
    ).toEqual([]);
  });
});
