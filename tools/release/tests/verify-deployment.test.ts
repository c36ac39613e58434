import { runCli } from '#testing/release-fixtures.ts';

const VERIFY = 'tools/release/cli/verify-deployment.ts';

describe('npm run verify', () => {
  it('without a function name, prints the usage and exits non-zero', async () => {
    const res = await runCli(VERIFY, []);
    expect(res.status).toBe(2);
    expect(res.stderr.trim()).toBe('error: usage: npm run verify -- <function>-<env>');
  });

  it('refuses a name whose environment it cannot tell, instead of guessing a region', async () => {
    const res = await runCli(VERIFY, ['price-fetcher']);
    expect(res.status).toBe(2);
    expect(res.stderr).toContain('cannot tell the environment of "price-fetcher"');
  });
});
