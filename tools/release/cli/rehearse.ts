import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Environment } from '../constants.ts';
import { info, out, runCli } from '../cli-support.ts';
import { rehearse } from '../rehearse.ts';

// npm run release:rehearse [-- --fail-at qa] [--keep] [--canary-alarm] [--dist <dir> (skips the build)] [--root .local/rehearsal] [--version vX.Y.Z]
runCli(async () => {
  const { values } = parseArgs({
    options: {
      'fail-at': { type: 'string' },
      dist: { type: 'string' },
      root: { type: 'string', default: path.join('.local', 'rehearsal') },
      repo: { type: 'string', default: process.cwd() },
      version: { type: 'string' },
      keep: { type: 'boolean' },
      'canary-alarm': { type: 'boolean' },
    },
  });
  const result = await rehearse({
    sourceRepo: path.resolve(values.repo),
    root: path.resolve(values.root),
    distDir: path.resolve(values.dist ?? path.join(values.repo, 'dist')),
    skipBuild: Boolean(values.dist),
    ...(values['fail-at'] ? { failAt: values['fail-at'] as Environment } : {}),
    ...(values.version ? { version: values.version } : {}),
    keep: Boolean(values.keep),
    canaryAlarm: Boolean(values['canary-alarm']),
    log: info,
  });
  out(result.statusText);
  if (!result.ok) {
    info(`error: rehearsal of ${result.version} halted at ${result.haltedAt}: ${result.failure}`);
    return 1;
  }
  info(`rehearsal of ${result.version} complete: ${result.tags.join(', ')}; DR synced`);
});
