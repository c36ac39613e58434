import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Summary } from './stats.ts';
import { summarize } from './stats.ts';

export interface ColdStartSample {
  load: number;
  init: number;
  firstInvoke: number;
  total: number;
  statusCode: number;
}

export interface ColdStartResult {
  load: Summary;
  init: Summary;
  firstInvoke: Summary;
  total: Summary;
}

/** Runs `runs` cold starts of `bundle`, each in a fresh Node process with `env` as its whole environment. */
export const measureColdStart = (
  root: string,
  bundle: string,
  eventFile: string,
  env: Record<string, string>,
  runs: number,
  nodeFlags: string[] = [],
): ColdStartResult => {
  const samples: ColdStartSample[] = [];
  for (let run = 0; run < runs; run += 1) {
    const output = execFileSync(
      process.execPath,
      [...nodeFlags, join(root, 'bench', 'cold-start-probe.mjs'), bundle, eventFile],
      {
        env,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    const line = output.split('\n').find((candidate) => candidate.startsWith('BENCH_RESULT '));
    if (!line) throw new Error(`cold-start probe printed no result for ${bundle}`);
    const sample = JSON.parse(line.slice('BENCH_RESULT '.length)) as ColdStartSample;
    if (sample.statusCode !== 200)
      throw new Error(`cold start of ${bundle} answered ${sample.statusCode}, not 200`);
    samples.push(sample);
  }
  return {
    load: summarize(samples.map((sample) => sample.load)),
    init: summarize(samples.map((sample) => sample.init)),
    firstInvoke: summarize(samples.map((sample) => sample.firstInvoke)),
    total: summarize(samples.map((sample) => sample.total)),
  };
};
