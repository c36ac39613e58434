import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchStores } from './bench-stores.ts';
import type { StartApiProcess } from './start-api-process.ts';
import { startApiProcess } from './start-api-process.ts';
import { copySources } from './build-timing.ts';
import type { Summary } from './stats.ts';
import { summarize } from './stats.ts';

/** The file and text each save changes: a response header every function sets, so every bundle rebuilds. */
const EDITED = join('common', 'http', 'http-response.ts');
const ORIGINAL = `[HttpHeader.cacheControl]: 'no-store'`;

export interface HotReloadResult {
  /** Save to the first response carrying the change. */
  served: Summary;
  /** start-api's own account of the reload it logs: the esbuild rebuild, then the new environment's init. */
  rebuild: Summary;
  warmStart: Summary;
}

/**
 * Hot reload as a developer sees it: `npm run start-api` (watching) on a copy of the sources, then `runs`
 * saves of a file in common/ (which every function bundles). Each figure is the time from writing the file
 * to the first response that carries the change, polled every 20 ms on GET /price (more often would
 * compete for the CPU with the rebuild).
 */
export const measureHotReload = async (
  root: string,
  stores: BenchStores,
  path: string,
  runs: number,
): Promise<HotReloadResult> => {
  const copy = copySources(root, 'hot-reload-copy');
  try {
    const server = await startApiProcess(copy, stores, ['--quiet']);
    try {
      return await measureSaves(server, join(copy, EDITED), path, runs);
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
};

/** Saves `file` `runs` times and times each save until the server's response carries it. */
const measureSaves = async (
  server: StartApiProcess,
  file: string,
  path: string,
  runs: number,
): Promise<HotReloadResult> => {
  const url = `${server.origin}${path}`;
  const cacheControl = async () =>
    (
      await fetch(url, {
        headers: { authorization: server.authorization },
        signal: AbortSignal.timeout(10_000),
      })
    ).headers.get('cache-control');
  if ((await cacheControl()) !== 'no-store') throw new Error('start-api did not serve the original code');
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
    ...server.log().matchAll(/^hot reload: price-fetcher rebuilt .* \(build (\d+) ms, warm start (\d+) ms/gm),
  ];
  return {
    served: summarize(times),
    rebuild: summarize(reloads.map((match) => Number(match[1]))),
    warmStart: summarize(reloads.map((match) => Number(match[2]))),
  };
};
