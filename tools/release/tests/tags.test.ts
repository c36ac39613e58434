import { StageOrderError } from '../errors.ts';
import { computeStageTag } from '../tags.ts';
import { CLI, commit, git, makeRepo, runCli } from '#testing/release-fixtures.ts';

describe('stage tags', () => {
  it('the first promotion of a version to QA records vX.Y.Z-qa.1, repeats count up', () => {
    expect(computeStageTag([], 'v1.4.0', 'qa')).toBe('v1.4.0-qa.1');
    expect(computeStageTag(['v1.4.0-qa.1', 'v1.4.0-qa.2', 'v1.3.0-qa.7'], 'v1.4.0', 'qa')).toBe(
      'v1.4.0-qa.3',
    );
  });

  it('UAT records vX.Y.Z-rc.N and PROD the clean vX.Y.Z', () => {
    expect(computeStageTag(['v1.4.0-qa.1'], 'v1.4.0', 'uat')).toBe('v1.4.0-rc.1');
    expect(computeStageTag(['v1.4.0-qa.1', 'v1.4.0-rc.1', 'v1.4.0-rc.2'], 'v1.4.0', 'uat')).toBe(
      'v1.4.0-rc.3',
    );
    expect(computeStageTag(['v1.4.0-qa.1', 'v1.4.0-rc.2'], 'v1.4.0', 'prod')).toBe('v1.4.0');
  });

  it('promotion to UAT without a QA pass is refused', () => {
    expect(() => computeStageTag(['v1.3.0-qa.1'], 'v1.4.0', 'uat')).toThrow(StageOrderError);
    expect(() => computeStageTag([], 'v1.4.0', 'uat')).toThrow(/has not passed qa/);
  });

  it('promotion to PROD without a UAT pass is refused, even after QA', () => {
    expect(() => computeStageTag(['v1.4.0-qa.1'], 'v1.4.0', 'prod')).toThrow(/has not passed uat/);
  });

  it('a version is released to PROD only once', () => {
    expect(() => computeStageTag(['v1.4.0-qa.1', 'v1.4.0-rc.1', 'v1.4.0'], 'v1.4.0', 'prod')).toThrow(
      /already released/,
    );
  });

  it('the CLI computes the tag from the repository tags and refuses a skipped stage with a clear message', async () => {
    const dir = await makeRepo(['feat: a']);
    git(dir, 'tag', 'v2.0.0-qa.1');
    expect((await runCli(CLI.tag, ['--repo', dir, '--to', 'qa', '--version', 'v2.0.0'])).stdout.trim()).toBe(
      'v2.0.0-qa.2',
    );
    expect((await runCli(CLI.tag, ['--repo', dir, '--to', 'uat', '--version', 'v2.0.0'])).stdout.trim()).toBe(
      'v2.0.0-rc.1',
    );

    const refused = await runCli(CLI.tag, ['--repo', dir, '--to', 'prod', '--version', 'v2.0.0']);
    expect(refused.status).not.toBe(0);
    expect(refused.stdout).toBe('');
    expect(refused.stderr.trim()).toBe(
      'error: v2.0.0 cannot be promoted to prod: it has not passed uat yet (no uat tag)',
    );
  });

  it('--create tags the build commit, not HEAD: promotion never rebuilds', async () => {
    const dir = await makeRepo(['feat: a']);
    const built = git(dir, 'rev-parse', 'HEAD');
    commit(dir, 'fix: later work on main');
    const res = await runCli(CLI.tag, [
      '--repo',
      dir,
      '--to',
      'qa',
      '--version',
      'v1.0.0',
      '--create',
      '--commit',
      built,
    ]);
    expect(res.status).toBe(0);
    expect(res.stdout.trim()).toBe('v1.0.0-qa.1');
    expect(git(dir, 'rev-parse', 'v1.0.0-qa.1^{commit}')).toBe(built);
    expect(git(dir, 'cat-file', '-t', 'v1.0.0-qa.1')).toBe('tag');
  });

  it('rejects an invalid target or version', async () => {
    const dir = await makeRepo(['feat: a']);
    expect((await runCli(CLI.tag, ['--repo', dir, '--to', 'dev', '--version', 'v1.0.0'])).stderr).toContain(
      '--to must be one of qa, uat, prod',
    );
    expect((await runCli(CLI.tag, ['--repo', dir, '--to', 'qa', '--version', '1.0'])).stderr).toContain(
      'invalid version',
    );
  });
});
