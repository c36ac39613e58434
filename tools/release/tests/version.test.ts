import { createGitRunner } from '../git.ts';
import { bumpFor, computeNextVersion } from '../version.ts';
import { CLI, commit, git, makeRepo, runCli } from '#testing/release-fixtures.ts';

async function nextFor(messages: string[], setup?: (dir: string) => void) {
  const dir = await makeRepo(messages.slice(0, 1));
  setup?.(dir);
  for (const m of messages.slice(1)) commit(dir, m);
  return computeNextVersion(createGitRunner(dir));
}

describe('next version from conventional commits', () => {
  it('classifies commit messages by their conventional type', () => {
    expect(bumpFor('fix: round half up')).toBe('patch');
    expect(bumpFor('fix(price-fetcher): round half up')).toBe('patch');
    expect(bumpFor('feat: currency support')).toBe('minor');
    expect(bumpFor('feat(api)!: drop v1 paths')).toBe('major');
    expect(bumpFor('refactor!: new storage layout')).toBe('major');
    expect(bumpFor('chore: bump deps\n\nBREAKING CHANGE: needs Node 22')).toBe('major');
    expect(bumpFor('docs: readme')).toBeNull();
    expect(bumpFor('Merge branch main')).toBeNull();
    expect(bumpFor('fixed a typo')).toBeNull();
  });

  it('when only fixes landed since the last release tag, the patch is bumped', async () => {
    const result = await nextFor(['feat: first', 'fix: a', 'fix: b'], (dir) => git(dir, 'tag', 'v1.2.3'));
    expect(result).toMatchObject({ previous: 'v1.2.3', next: 'v1.2.4', bump: 'patch', commitCount: 2 });
  });

  it('when a feature landed among fixes, the minor is bumped and the patch reset', async () => {
    const result = await nextFor(['feat: first', 'fix: a', 'feat: b', 'chore: c'], (dir) =>
      git(dir, 'tag', 'v1.2.3'),
    );
    expect(result).toMatchObject({ next: 'v1.3.0', bump: 'minor' });
    expect(result.reasons.map((r) => r.message)).toEqual(['feat: b']);
  });

  it('when a commit is marked breaking with ! or a BREAKING CHANGE footer, the major is bumped', async () => {
    const bang = await nextFor(['feat: first', 'feat!: new API'], (dir) => git(dir, 'tag', 'v1.2.3'));
    expect(bang.next).toBe('v2.0.0');
    const footer = await nextFor(['feat: first', 'fix: x\n\nBREAKING CHANGE: output changed'], (dir) =>
      git(dir, 'tag', 'v1.2.3'),
    );
    expect(footer.next).toBe('v2.0.0');
  });

  it('when nothing releasable landed, there is no new version', async () => {
    const result = await nextFor(['feat: first', 'chore: deps', 'docs: readme'], (dir) =>
      git(dir, 'tag', 'v1.2.3'),
    );
    expect(result).toMatchObject({ previous: 'v1.2.3', next: null, bump: null, commitCount: 2 });
  });

  it('stage tags are not releases: the base is the last clean vX.Y.Z', async () => {
    const result = await nextFor(['feat: first', 'fix: a'], (dir) => {
      git(dir, 'tag', 'v1.0.0');
      commit(dir, 'feat: second');
      git(dir, 'tag', 'v1.1.0-qa.1');
      git(dir, 'tag', 'v1.1.0-rc.1');
    });
    expect(result).toMatchObject({ previous: 'v1.0.0', next: 'v1.1.0' });
  });

  it('without any release tag, the history is counted from 0.0.0', async () => {
    const result = await nextFor(['chore: init', 'feat: prices']);
    expect(result).toMatchObject({ previous: null, next: 'v0.1.0' });
  });

  it('a version already in the vault (an abandoned build) is never reused', async () => {
    const dir = await makeRepo(['feat: first']);
    git(dir, 'tag', 'v1.0.0');
    commit(dir, 'feat: second');
    const result = await computeNextVersion(createGitRunner(dir), ['v1.1.0', 'v1.1.1']);
    expect(result.next).toBe('v1.1.2');
  });

  it('the CLI prints the next version on stdout', async () => {
    const dir = await makeRepo(['feat: first']);
    git(dir, 'tag', 'v0.4.1');
    commit(dir, 'feat(price-fetcher): quotes');
    const res = await runCli(CLI.version, ['--repo', dir]);
    expect(res.status).toBe(0);
    expect(res.stdout.trim()).toBe('v0.5.0');
    expect(res.stderr).toContain('minor bump');
  });

  it('the CLI says clearly when nothing is releasable and prints no version', async () => {
    const dir = await makeRepo(['feat: first']);
    git(dir, 'tag', 'v0.4.1');
    commit(dir, 'chore: tidy');
    const res = await runCli(CLI.version, ['--repo', dir]);
    expect(res.status).toBe(0);
    expect(res.stdout).toBe('');
    expect(res.stderr).toContain('no releasable changes since v0.4.1');
  });
});
