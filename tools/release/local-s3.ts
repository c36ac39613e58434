import { spawn } from 'node:child_process';
import path from 'node:path';

export interface LocalS3 {
  endpoint: string;
  close(): Promise<void>;
}

/**
 * Starts s3rver on an ephemeral port with the given buckets, for tests and the rehearsal, in a child process
 * (tools/release/s3rver-process.ts) that alone runs with `--openssl-legacy-provider`: s3rver's paginated
 * listing needs DES. The calling process, and so every command that talks to AWS, runs without it.
 */
export function startLocalS3(
  directory: string,
  buckets: readonly string[],
  { root = process.cwd() }: { root?: string } = {},
): Promise<LocalS3> {
  const script = path.join(root, 'tools', 'release', 's3rver-process.ts');
  const child = spawn(process.execPath, ['--openssl-legacy-provider', script, directory, ...buckets], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /s3rver listening on (http:\/\/\S+)/.exec(output);
      if (!match) return;
      child.stdout.removeAllListeners('data');
      resolve({
        endpoint: match[1]!,
        async close() {
          child.stdin.end();
          const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
          await exited;
          clearTimeout(timer);
        },
      });
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`s3rver exited with code ${code} before listening`)));
  });
}
