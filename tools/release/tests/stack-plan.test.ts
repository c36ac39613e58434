import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  CLI,
  HEALTHY_HANDLER,
  git,
  makeDist,
  makeRepo,
  recordPass,
  runCli,
  startTestVault,
  steppingClock,
} from '#testing/release-fixtures.ts';

describe('release:stack-plan (deploy the stack before the code when infra/ changed)', () => {
  let t: Awaited<ReturnType<typeof startTestVault>>;
  beforeEach(async () => {
    t = await startTestVault('vault', steppingClock());
  });
  afterEach(() => t.close());

  it('compares infra/ between the version the environment serves and the one being promoted', async () => {
    const repo = await makeRepo(['chore: init']);
    const change = async (file: string, message: string) => {
      await mkdir(path.dirname(path.join(repo, file)), { recursive: true });
      await writeFile(path.join(repo, file), message);
      git(repo, 'add', '.');
      git(repo, 'commit', '--quiet', '-m', message);
      return git(repo, 'rev-parse', 'HEAD');
    };
    const dist = await makeDist({ 'price-fetcher': HEALTHY_HANDLER });
    const build = async (version: string, commit: string) =>
      t.vault.upload({ version, distDir: dist, commit, builder: 'test' });

    const c1 = await change('infra/app.ts', 'feat(infra): the stack');
    const v1 = await build('v1.0.0', c1);
    await recordPass(t.vault, v1, 'qa');
    const c2 = await change('functions/a.ts', 'fix: code only');
    await build('v1.0.1', c2);
    const c3 = await change('infra/app.ts', 'feat(infra): an alarm');
    await build('v1.1.0', c3);

    const plan = (env: string, version: string) =>
      runCli(CLI.stackPlan, ['--env', env, '--version', version, '--repo', repo], {
        VAULT_BUCKET: t.bucket,
        VAULT_S3_ENDPOINT: t.endpoint,
      });

    const unchanged = await plan('qa', 'v1.0.1');
    expect(unchanged.status).toBe(0);
    expect(unchanged.stdout).toBe(`commit=${c2}\nsince=${c1}\nchanged=false\n`);
    expect(unchanged.stderr).toContain(`infra/ unchanged since ${c1.slice(0, 7)} (served by qa)`);

    expect((await plan('qa', 'v1.1.0')).stdout).toBe(`commit=${c3}\nsince=${c1}\nchanged=true\n`);
    // UAT serves nothing yet: its stack is deployed first.
    expect((await plan('uat', 'v1.0.1')).stdout).toBe(`commit=${c2}\nsince=none\nchanged=true\n`);

    // A later failure of v1.0.0 in QA means QA no longer counts as serving it.
    await recordPass(t.vault, v1, 'qa', 'deploy-failed');
    expect((await plan('qa', 'v1.0.1')).stdout).toBe(`commit=${c2}\nsince=none\nchanged=true\n`);
  });
});
