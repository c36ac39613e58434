import autocannon from 'autocannon';
import type { BenchStores } from './bench-stores.ts';
import { startApiProcess } from './start-api-process.ts';

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
  const server = await startApiProcess(root, stores, ['--no-build', '--no-watch', '--quiet']);
  try {
    const url = `${server.origin}${path}`;
    // Behind the authorizer, as served: after the first request each token's policy comes from the cache.
    const headers = { authorization: stores.authorization };
    // Warm every execution environment of the pool before measuring.
    await autocannon({ url, headers, connections: options.connections, amount: options.connections * 20 });
    const sequential = await autocannon({
      url,
      headers,
      connections: 1,
      duration: Math.max(3, options.seconds / 2),
    });
    const result = await autocannon({
      url,
      headers,
      connections: options.connections,
      duration: options.seconds,
    });
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
    await server.stop();
  }
};
