import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchStores } from './bench-stores.ts';
import { copySources } from './build-timing.ts';
import type { Summary } from './stats.ts';
import { summarize } from './stats.ts';

/** The file and text each save changes: a response header every function sets, so every bundle rebuilds. */
const EDITED = join('common', 'utils', 'http-response.ts');
const ORIGINAL = `[HttpHeader.cacheControl]: 'no-store'`;

/**
 * Hot reload as a developer sees it: `npm run start-api` (watching) on a copy of the sources, then `runs`
 * saves of a file in common/ (which every function bundles). Each figure is the time from writing the file
 * to the first response that carries the change, polled every 20 ms on GET /price (more often would
 * compete for the CPU with the rebuild).
 */
export interface HotReloadResult {
  /** Save to the first response carrying the change. */
  served: Summary;
  /** start-api's own account of the reload it logs: the esbuild rebuild, then the new environment's init. */
  rebuild: Summary;
  warmStart: Summary;
}

export const measureHotReload = async (
  root: string,
  stores: BenchStores,
  path: string,
  runs: number,
): Promise<HotReloadResult> => {
  const copy = copySources(root, 'hot-reload-copy');
  const envVars = join(copy, 'api-env.json');
  writeFileSync(
    envVars,
    JSON.stringify({ Parameters: { DYNAMODB_ENDPOINT: stores.endpoint, SQLITE_PATH: stores.sqlitePath } }),
  );
  const server = spawn(
    process.execPath,
    [
      join(copy, 'common', 'scripts', 'start-api.ts'),
      // Port 0: the system picks a free port and start-api prints its URL (no race with other sockets).
      '--port',
      '0',
      '--quiet',
      '--env-vars',
      envVars,
    ],
    { cwd: copy, stdio: ['ignore', 'pipe', 'pipe'] },
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
    const cacheControl = async () =>
      (await fetch(url, { signal: AbortSignal.timeout(10_000) })).headers.get('cache-control');
    if ((await cacheControl()) !== 'no-store') throw new Error('start-api did not serve the original code');
    const file = join(copy, EDITED);
    const source = readFileSync(file, 'utf8');
    if (!source.includes(ORIGINAL)) throw new Error(`${EDITED} no longer contains ${ORIGINAL}`);
    const times: number[] = [];
    for (let run = 1; run <= runs; run += 1) {
      const wanted = `no-store, max-age=${run}`;
      // Settle between saves, as between a developer's edits.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const saved = performance.now();
      writeFileSync(file, source.replace(ORIGINAL, `[HttpHeader.cacheControl]: '${wanted}'`));
      for (;;) {
        if ((await cacheControl()) === wanted) break;
        if (performance.now() - saved > 20_000) throw new Error(`save ${run} was not served within 20 s`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      times.push(performance.now() - saved);
    }
    // "hot reload: price-fetcher rebuilt and reloaded in 812 ms (build 420 ms, warm start 301 ms; ...)"
    const reloads = [
      ...log.matchAll(/^hot reload: price-fetcher rebuilt .* \(build (\d+) ms, warm start (\d+) ms/gm),
    ];
    return {
      served: summarize(times),
      rebuild: summarize(reloads.map((match) => Number(match[1]))),
      warmStart: summarize(reloads.map((match) => Number(match[2]))),
    };
  } finally {
    if (server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
    rmSync(copy, { recursive: true, force: true });
  }
};
