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
      expect(res.stderr).toContain(`[${env}] smoke price-fetcher-${env}: passed`);
    }

    expect(res.stdout).toMatch(/^v1\.4\.0 .*approved > deployed > smoke-passed\s+deployed > smoke-passed$/m);
    expect(res.stdout).toContain('graveyard: empty');
    const notes = await readFile(path.join(root, 'releases', 'v1.4.0.md'), 'utf8');
    expect(notes).toContain(`- Commit: \`${built}\``);
    expect(notes).toContain('- Globally synced: yes');
    expect(notes).toContain('- prod: approved by rehearsal');
  });

  it('--fail-at qa halts the pipeline, rolls back QA, and leaves the version in the graveyard', async () => {
    const res = await rehearse('--fail-at', 'qa');
    expect(res.status).not.toBe(0);
    expect(res.stderr).toContain('[qa] rolled back price-fetcher-qa live -> (removed: no previous version)');
    expect(res.stderr).toMatch(/^error: rehearsal of v1\.4\.0 halted at qa: smoke test failed in qa/m);

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

  it('--keep puts a second version on top of the first, so a failed promotion rolls back to a real previous version', async () => {
    expect((await rehearse()).status).toBe(0);
    const res = await rehearse('--keep', '--fail-at', 'qa');
    expect(res.status).not.toBe(0);
    expect(res.stderr).toContain('nothing releasable since v1.4.0; rehearsing as v1.4.1');
    expect(res.stderr).toContain('[qa] deployed price-fetcher-qa: live -> v1.4.1 (was v1.4.0)');
    expect(res.stderr).toContain('[qa] rolled back price-fetcher-qa live -> v1.4.0');

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
        new RegExp(`\\[${env}\\] smoke price-fetcher-${env}: passed \\(statusCode 200 .*"status":"ok"`),
      );
      const pointer = JSON.parse(
        await readFile(path.join(root, 'targets', env, 'price-fetcher.live.json'), 'utf8'),
      );
      expect(pointer.codeSha256).toBe(sha);
    }
    expect(res.stdout).toContain('graveyard: empty');
  }, 120_000);
});
