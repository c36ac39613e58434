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

/** One bundle to cold-start, with the Node flags of its runtime (for example `--enable-source-maps`). */
export interface ColdStartSubject {
  key: string;
  bundle: string;
  nodeFlags?: string[];
}

const probeOnce = (
  root: string,
  subject: ColdStartSubject,
  eventFile: string,
  env: Record<string, string>,
) => {
  const output = execFileSync(
    process.execPath,
    [...(subject.nodeFlags ?? []), join(root, 'bench', 'cold-start-probe.mjs'), subject.bundle, eventFile],
    { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const line = output.split('\n').find((candidate) => candidate.startsWith('BENCH_RESULT '));
  if (!line) throw new Error(`cold-start probe printed no result for ${subject.bundle}`);
  const sample = JSON.parse(line.slice('BENCH_RESULT '.length)) as ColdStartSample;
  if (sample.statusCode !== 200)
    throw new Error(`cold start of ${subject.bundle} answered ${sample.statusCode}, not 200`);
  return sample;
};

/**
 * Cold-starts every subject `runs` times, each in a fresh Node process with `env` as its whole environment.
 * Runs are interleaved (subject A, B, C, then A, B, C again...) so that drift in machine load hits every
 * subject alike: the ratios between them are what this bench reports.
 */
export const measureColdStarts = (
  root: string,
  subjects: ColdStartSubject[],
  eventFile: string,
  env: Record<string, string>,
  runs: number,
): Record<string, ColdStartResult> => {
  const samples = new Map<string, ColdStartSample[]>(subjects.map((subject) => [subject.key, []]));
  for (let run = 0; run < runs; run += 1) {
    for (const subject of subjects) samples.get(subject.key)!.push(probeOnce(root, subject, eventFile, env));
  }
  return Object.fromEntries(
    [...samples.entries()].map(([key, list]) => [
      key,
      {
        load: summarize(list.map((sample) => sample.load)),
        init: summarize(list.map((sample) => sample.init)),
        firstInvoke: summarize(list.map((sample) => sample.firstInvoke)),
        total: summarize(list.map((sample) => sample.total)),
      },
    ]),
  );
};

/**
 * The time a fresh Node process takes to import one module file (a lazily loaded chunk, for example the
 * Oracle driver that Oracle mode loads during init), `runs` times.
 */
export const measureImport = (file: string, runs: number): Summary => {
  const script =
    'const t = performance.now(); await import(process.argv[1]); process.stdout.write(String(performance.now() - t));';
  const times: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script, file], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    times.push(Number(output));
  }
  return summarize(times);
};
