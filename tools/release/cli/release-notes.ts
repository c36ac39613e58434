import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { out, required, runCli, vaultFrom } from '../cli-support.ts';
import { ReleaseError } from '../errors.ts';
import { isGloballySynced, renderReleaseNotes } from '../release-notes.ts';

// npm run release:notes -- --version vX.Y.Z [--out notes.md] [--require-synced]
// Renders the GitHub Release body from the vault; --require-synced fails unless DR has the version.
runCli(async () => {
  const { values } = parseArgs({
    options: {
      version: { type: 'string' },
      out: { type: 'string' },
      'require-synced': { type: 'boolean' },
      bucket: { type: 'string' },
    },
  });
  const version = required(values.version, 'version');
  const vault = vaultFrom({ bucket: values.bucket });
  const records = await vault.listPromotions(version);
  if (values['require-synced'] && !isGloballySynced(records)) {
    throw new ReleaseError(
      `${version} has no smoke-passed DR deployment; not marking the Release globally synced`,
    );
  }
  const notes = renderReleaseNotes(await vault.readManifest(version), records);
  if (values.out) await writeFile(values.out, notes);
  else out(notes);
});
