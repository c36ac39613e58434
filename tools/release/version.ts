import semver from 'semver';
import type { GitRunner } from './git.ts';

export type Bump = 'major' | 'minor' | 'patch';

export interface ConventionalCommit {
  sha: string;
  message: string;
}

export interface NextVersion {
  /** The last clean release tag the computation started from, or null on a fresh repository. */
  previous: string | null;
  /** `vX.Y.Z`, or null when nothing releasable happened since `previous`. */
  next: string | null;
  bump: Bump | null;
  /** The commits that decided the bump (the strongest ones), for the message. */
  reasons: ConventionalCommit[];
  commitCount: number;
}

const HEADER = /^(?<type>[a-zA-Z]+)(?:\([^)]*\))?(?<bang>!)?:\s/;
const BREAKING_FOOTER = /^BREAKING[ -]CHANGE:\s/m;
const CLEAN_TAG = /^v\d+\.\d+\.\d+$/;
const RANK: Record<Bump, number> = { patch: 1, minor: 2, major: 3 };

/** The bump one commit asks for under Conventional Commits, or null for chores, docs, etc. */
export function bumpFor(message: string): Bump | null {
  const header = HEADER.exec(message);
  if (header?.groups?.bang || BREAKING_FOOTER.test(message)) return 'major';
  const type = header?.groups?.type?.toLowerCase();
  if (type === 'feat') return 'minor';
  if (type === 'fix') return 'patch';
  return null;
}

/** The strongest bump across commits (major > minor > patch), with the commits that asked for it. */
export function strongestBump(commits: readonly ConventionalCommit[]): {
  bump: Bump | null;
  reasons: ConventionalCommit[];
} {
  let bump: Bump | null = null;
  let reasons: ConventionalCommit[] = [];
  for (const commit of commits) {
    const b = bumpFor(commit.message);
    if (!b) continue;
    if (!bump || RANK[b] > RANK[bump]) {
      bump = b;
      reasons = [commit];
    } else if (b === bump) {
      reasons.push(commit);
    }
  }
  return { bump, reasons };
}

/** The highest clean `vX.Y.Z` tag reachable from HEAD (stage tags like -qa.1 are not releases). */
export async function lastReleaseTag(git: GitRunner): Promise<string | null> {
  const tags = (await git(['tag', '--merged', 'HEAD', '--list', 'v*']))
    .split('\n')
    .filter((t) => CLEAN_TAG.test(t));
  return tags.sort(semver.rcompare)[0] ?? null;
}

const FIELD = '\x1f';
const RECORD = '\x1e';

/** Commits in `range` (a git revision range), oldest first. */
export async function commitsIn(git: GitRunner, range: string): Promise<ConventionalCommit[]> {
  const out = await git(['log', '--reverse', `--format=%H${FIELD}%B${RECORD}`, range]);
  return out
    .split(RECORD)
    .map((chunk) => chunk.trim())
    .filter(Boolean)
    .map((chunk) => {
      const [sha = '', message = ''] = chunk.split(FIELD);
      return { sha, message: message.trim() };
    });
}

/**
 * The next release version from the conventional commits since the last release tag.
 * `taken` lists versions that already exist elsewhere (the vault keeps abandoned builds forever), so the
 * result is bumped by patch until it is free: a vault prefix is never reused.
 */
export async function computeNextVersion(
  git: GitRunner,
  taken: readonly string[] = [],
): Promise<NextVersion> {
  const previous = await lastReleaseTag(git);
  const commits = await commitsIn(git, previous ? `${previous}..HEAD` : 'HEAD');
  const { bump, reasons } = strongestBump(commits);
  if (!bump) return { previous, next: null, bump: null, reasons: [], commitCount: commits.length };
  let next = semver.inc(previous ?? '0.0.0', bump) as string;
  const takenSet = new Set(taken.map((v) => v.replace(/^v/, '')));
  while (takenSet.has(next)) next = semver.inc(next, 'patch') as string;
  return { previous, next: `v${next}`, bump, reasons, commitCount: commits.length };
}
