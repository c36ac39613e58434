import { parseArgs } from 'node:util';
import { info, out, runCli, vaultFrom } from '../cli-support.ts';
import { createGitRunner } from '../git.ts';
import { computeNextVersion } from '../version.ts';

// npm run release:version [-- --check-vault] [--repo <dir>]
// Prints the next version on stdout; prints nothing and explains on stderr when nothing is releasable.
runCli(async () => {
  const { values } = parseArgs({
    options: { repo: { type: 'string' }, 'check-vault': { type: 'boolean' }, bucket: { type: 'string' } },
  });
  const taken = values['check-vault'] ? await vaultFrom({ bucket: values.bucket }).listVersions() : [];
  const result = await computeNextVersion(createGitRunner(values.repo), taken);
  if (!result.next) {
    info(
      `no releasable changes since ${result.previous ?? 'the first commit'} ` +
        `(${result.commitCount} commit(s), none is fix:, feat: or breaking); no new version`,
    );
    return 0;
  }
  info(
    `${result.previous ?? '(no release yet)'} -> ${result.next}: ${result.bump} bump from ` +
      result.reasons.map((r) => `${r.sha.slice(0, 7)} "${r.message.split('\n')[0]}"`).join(', '),
  );
  out(result.next);
});
