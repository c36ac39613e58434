// node --openssl-legacy-provider tools/release/s3rver-process.ts <directory> <bucket>...
// The local S3 emulator in a process of its own, for the tests and the rehearsal only. s3rver mints its
// listing continuation tokens with DES, which OpenSSL 3 refuses without the legacy provider: the flag lives
// on this process alone, never on a command that talks to AWS.
import S3rver from 's3rver';

const [directory, ...buckets] = process.argv.slice(2);
if (!directory) {
  process.stderr.write('usage: s3rver-process.ts <directory> <bucket>...\n');
  process.exit(2);
}
const server = new S3rver({
  address: '127.0.0.1',
  port: 0,
  directory,
  silent: true,
  configureBuckets: buckets.map((name) => ({ name })),
});
const { port } = await server.run();
process.stdout.write(`s3rver listening on http://127.0.0.1:${port}\n`);
// The parent owns this process: when it goes away (stdin closes), so does the emulator.
process.stdin.resume();
process.stdin.on('end', () => {
  void server.close().finally(() => process.exit(0));
});
