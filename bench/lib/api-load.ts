import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import type { BenchStores } from './bench-stores.ts';

export interface ApiLoadResult {
  /** One connection, one request at a time: the latency a developer sees from Postman or a browser. */
  sequential: { p50: number; p99: number; requests: number };
  requestsPerSecond: number;
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
}

/**
 * `npm run start-api` in its own process (as a developer runs it, pointed at the bench stores through an
 * `--env-vars` file), loaded by autocannon from this process: first one connection (the latency of a
 * single caller), then `connections` keep-alive connections for `seconds` (throughput), on one success request.
 */
export const measureApi = async (
  root: string,
  stores: BenchStores,
  path: string,
  options: { connections: number; seconds: number },
): Promise<ApiLoadResult> => {
  const envVars = join(root, 'bench', '.tmp', 'api-env.json');
  writeFileSync(
    envVars,
    JSON.stringify({ Parameters: { DYNAMODB_ENDPOINT: stores.endpoint, SQLITE_PATH: stores.sqlitePath } }),
  );
  const server = spawn(
    process.execPath,
    [
      join(root, 'common', 'scripts', 'start-api.ts'),
      // Port 0: the system picks a free port and start-api prints its URL (no race with other sockets).
      '--port',
      '0',
      '--no-build',
      '--no-watch',
      '--quiet',
      '--env-vars',
      envVars,
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  server.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  try {
    const origin = await new Promise<string>((resolve, reject) => {
      let output = '';
      server.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const listening = /^(http:\/\/[^/\s]+)/m.exec(output);
        if (listening) resolve(listening[1]!);
      });
      server.once('exit', (code) =>
        reject(new Error(`start-api exited with ${code} before listening:\n${log.trim()}`)),
      );
    });
    const url = `${origin}${path}`;
    // Warm every execution environment of the pool before measuring.
    await autocannon({ url, connections: options.connections, amount: options.connections * 20 });
    const sequential = await autocannon({ url, connections: 1, duration: Math.max(3, options.seconds / 2) });
    const result = await autocannon({ url, connections: options.connections, duration: options.seconds });
    return {
      sequential: {
        p50: sequential.latency.p50,
        p99: sequential.latency.p99,
        requests: sequential.requests.total,
      },
      requestsPerSecond: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
      requests: result.requests.total,
      non2xx: result.non2xx,
      errors: result.errors,
    };
  } finally {
    server.kill('SIGTERM');
  }
};
