import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { sha256Hex } from '../hash.ts';
import { CLI, HEALTHY_HANDLER, git, makeDist, makeRepo, runCli, tempDir } from '#testing/release-fixtures.ts';

describe('release rehearsal', () => {
  let repo: string;
  let dist: string;
  let root: string;
  beforeEach(async () => {
    repo = await makeRepo(['chore: init']);
    git(repo, 'tag', 'v1.3.0');
    git(repo, 'commit', '--quiet', '--allow-empty', '-m', 'feat(price-fetcher): volume discounts');
    dist = await makeDist({ 'price-fetcher': HEALTHY_HANDLER, 'config-service': HEALTHY_HANDLER });
    root = await tempDir('rehearsal-');
  });
  const rehearse = (...extra: string[]) =>
    runCli(CLI.rehearse, ['--repo', repo, '--dist', dist, '--root', root, ...extra], { GITHUB_RUN_ID: '' });

  it('plays DEV -> QA -> UAT -> PROD -> DR with the same bytes, tags the build commit and syncs DR', async () => {
    const res = await rehearse();
    expect(res.stderr).toContain('rehearsal of v1.4.0 complete');
    expect(res.status).toBe(0);

    const built = git(repo, 'rev-parse', 'HEAD');
    const scratch = path.join(root, 'repo');
    expect(git(scratch, 'tag', '--list', 'v1.4.0*').split('\n').sort()).toEqual([
      'v1.4.0',
      'v1.4.0-qa.1',
      'v1.4.0-rc.1',
    ]);
    for (const tag of ['v1.4.0-qa.1', 'v1.4.0-rc.1', 'v1.4.0'])
      expect(git(scratch, 'rev-parse', `${tag}^{commit}`)).toBe(built);
    // The source repository is never tagged by a rehearsal.
    expect(git(repo, 'tag', '--list')).toBe('v1.3.0');

    // Every environment runs the bytes that were built once.
    const sha = sha256Hex(await readFile(path.join(dist, 'price-fetcher.zip')));
    for (const env of ['dev', 'qa', 'uat', 'prod', 'dr']) {
      const pointer = JSON.parse(
        await readFile(path.join(root, 'targets', env, 'price-fetcher.live.json'), 'utf8'),
      );
      expect(pointer.version).toBe('v1.4.0');
      expect(pointer.codeSha256).toBe(sha);
      expect(res.stderr).toContain(`[${env}] smoke price-fetcher-${env} version v1.4.0: passed`);
    }

    expect(res.stdout).toMatch(/^v1\.4\.0 .*approved > deployed > smoke-passed\s+deployed > smoke-passed$/m);
    expect(res.stdout).toContain('graveyard: empty');
    const notes = await readFile(path.join(root, 'releases', 'v1.4.0.md'), 'utf8');
    expect(notes).toContain(`- Commit: \`${built}\``);
    expect(notes).toContain('- Globally synced: yes');
    expect(notes).toContain('- prod: approved by rehearsal');
  });

  it('--fail-at qa halts the pipeline before the QA live alias moves, and leaves the version in the graveyard', async () => {
    const res = await rehearse('--fail-at', 'qa');
    expect(res.status).not.toBe(0);
    expect(res.stderr).toContain('[qa] smoke price-fetcher-qa version v1.4.0: FAILED (statusCode 503');
    expect(res.stderr).not.toContain('[qa] live ');
    expect(res.stderr).toMatch(
      /^error: rehearsal of v1\.4\.0 halted at qa: smoke test failed in qa for v1\.4\.0 \(live never moved\)/m,
    );

    expect(res.stdout).toMatch(
      /^v1\.4\.0 .*deployed > smoke-passed\s+approved > deployed > smoke-failed\s+-\s+-\s+-$/m,
    );
    expect(res.stdout).toContain('graveyard:\n  v1.4.0  halted: smoke-failed in qa');
    expect(res.stderr).not.toContain('[uat]');
    expect(git(path.join(root, 'repo'), 'tag', '--list', 'v1.4.0*')).toBe('');
    await expect(readFile(path.join(root, 'targets', 'qa', 'price-fetcher.live.json'))).rejects.toThrow(
      /ENOENT/,
    );
    const dev = JSON.parse(
      await readFile(path.join(root, 'targets', 'dev', 'price-fetcher.live.json'), 'utf8'),
    );
    expect(dev.version).toBe('v1.4.0');
  });

  it('--keep puts a second version on top of the first, so a failed promotion leaves the previous version serving', async () => {
    expect((await rehearse()).status).toBe(0);
    const res = await rehearse('--keep', '--fail-at', 'qa');
    expect(res.status).not.toBe(0);
    expect(res.stderr).toContain('nothing releasable since v1.4.0; rehearsing as v1.4.1');
    expect(res.stderr).toContain('[qa] published price-fetcher-qa version v1.4.1; live stays at v1.4.0');
    expect(res.stderr).toContain('[qa] smoke price-fetcher-qa version v1.4.1: FAILED');

    const qa = JSON.parse(
      await readFile(path.join(root, 'targets', 'qa', 'price-fetcher.live.json'), 'utf8'),
    );
    expect(qa.version).toBe('v1.4.0');
    const dev = JSON.parse(
      await readFile(path.join(root, 'targets', 'dev', 'price-fetcher.live.json'), 'utf8'),
    );
    expect(dev.version).toBe('v1.4.1');
    expect(res.stdout).toMatch(/^v1\.4\.0 .*smoke-passed$/m);
    expect(res.stdout).toContain('graveyard:\n  v1.4.1  halted: smoke-failed in qa');
    expect(git(path.join(root, 'repo'), 'tag', '--list', 'v1.4.*').split('\n').sort()).toEqual([
      'v1.4.0',
      'v1.4.0-qa.1',
      'v1.4.0-rc.1',
    ]);
  });

  it('PROD moves gradually: a canary that completes, then a canary rolled back by an alarm', async () => {
    const first = await rehearse();
    expect(first.status).toBe(0);
    // Nothing was live in PROD before the first release: there is no traffic to shift from.
    expect(first.stderr).not.toContain('[prod] canary');

    const second = await rehearse('--keep');
    expect(second.status).toBe(0);
    expect(second.stderr).toContain(
      '[prod] canary price-fetcher-prod: 10% of live -> v1.4.1 for 5 minutes (simulated locally: the alarms are read once, without waiting)',
    );
    expect(second.stderr).toContain('[prod] canary price-fetcher-prod: no alarm; live -> v1.4.1 at 100%');
    // DR follows PROD without a canary of its own.
    expect(second.stderr).not.toContain('[dr] canary');

    const third = await rehearse('--keep', '--canary-alarm');
    expect(third.status).not.toBe(0);
    expect(third.stderr).toContain('[prod] rolled back price-fetcher-prod live -> v1.4.1');
    expect(third.stderr).toMatch(
      /^error: rehearsal of v1\.4\.2 halted at prod: traffic shift failed in prod for v1\.4\.2 \(live rolled back\): .*price-fetcher-prod: canary rolled back: alarm price-fetcher-prod-Errors \(simulated by --canary-alarm\) is in ALARM; live stays on v1\.4\.1/m,
    );
    const prod = JSON.parse(
      await readFile(path.join(root, 'targets', 'prod', 'price-fetcher.live.json'), 'utf8'),
    );
    expect(prod.version).toBe('v1.4.1');
    expect(prod.canary).toBeUndefined();
    expect(third.stdout).toContain('graveyard:\n  v1.4.2  halted: deploy-failed in prod');
    // The version that failed its canary gets no PROD tag.
    expect(git(path.join(root, 'repo'), 'tag', '--list', 'v1.4.2*').split('\n').sort()).toEqual([
      'v1.4.2-qa.1',
      'v1.4.2-rc.1',
    ]);
  }, 120_000);

  // Uses the dist/ that jest's global setup built, instead of running the build again: rebuilding here would
  // rewrite dist/ under the bundle tests that run in parallel.
  it('rehearses the real price-fetcher bundle: lite runtime and private lite stores answer every health check', async () => {
    const dist = path.join(process.cwd(), 'dist');
    const res = await runCli(CLI.rehearse, ['--root', root, '--dist', dist], { GITHUB_RUN_ID: '' });
    expect(res.stderr).toContain('rehearsal of');
    expect(res.status).toBe(0);
    const sha = sha256Hex(await readFile(path.join(dist, 'price-fetcher.zip')));
    expect(res.stderr).toContain(
      `price-fetcher.zip ${(await readFile(path.join(dist, 'price-fetcher.zip'))).length} bytes sha256:${sha}`,
    );
    for (const env of ['dev', 'qa', 'uat', 'prod', 'dr']) {
      expect(res.stderr).toMatch(
        new RegExp(
          `\\[${env}\\] smoke price-fetcher-${env} version v\\S+: passed \\(statusCode 200 .*"status":"ok"`,
        ),
      );
      const pointer = JSON.parse(
        await readFile(path.join(root, 'targets', env, 'price-fetcher.live.json'), 'utf8'),
      );
      expect(pointer.codeSha256).toBe(sha);
    }
    expect(res.stdout).toContain('graveyard: empty');
  }, 120_000);
});
