import path from 'node:path';
import { parseArgs } from 'node:util';
import { actorAndRun, info, out, required, runCli, vaultFrom } from '../cli-support.ts';
import { createGitRunner } from '../git.ts';

// npm run vault:upload -- --version vX.Y.Z [--dist dist] [--commit <sha>] [--bucket b]
runCli(async () => {
  const { values } = parseArgs({
    options: {
      version: { type: 'string' },
      dist: { type: 'string', default: 'dist' },
      commit: { type: 'string' },
      bucket: { type: 'string' },
    },
  });
  const version = required(values.version, 'version');
  const vault = vaultFrom({ bucket: values.bucket });
  const commit = values.commit ?? (await createGitRunner()(['rev-parse', 'HEAD']));
  const { actor, run } = actorAndRun();
  const manifest = await vault.upload({
    version,
    distDir: path.resolve(values.dist),
    commit,
    builder: run === 'local' ? `local build by ${actor}` : run,
  });
  for (const f of manifest.files)
    info(`uploaded s3://${vault.bucket}/${version}/${f.name} sha256:${f.sha256}`);
  out(`s3://${vault.bucket}/${version}/`);
});
