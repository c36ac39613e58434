import { createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import yazl from 'yazl';

/** One fixed timestamp for every entry: the same files always give the same zip bytes (and SHA-256). */
const ZIP_MTIME = new Date('2000-01-01T00:00:00Z');

/** Writes `files` (relative to `dir`) into a deterministic zip: sorted entries, fixed mtime and mode. */
export const writeZip = (dir: string, files: readonly string[], zipPath: string): Promise<void> =>
  new Promise((resolve, reject) => {
    const zip = new yazl.ZipFile();
    for (const file of [...files].sort()) {
      zip.addBuffer(readFileSync(join(dir, file)), file, { mtime: ZIP_MTIME, mode: 0o100644 });
    }
    zip.end();
    zip.outputStream
      .pipe(createWriteStream(zipPath))
      .on('close', () => resolve())
      .on('error', reject);
  });
