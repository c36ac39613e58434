// npm run bench: cold start, bundle size, warm path, memory and build time, each beside its reference and
// measured in one run. Prints a table and writes bench/results.json. Not part of npm test.
// Options: --runs <n> (cold starts per variant, default 15), --invocations <n> (warm path, default 20000),
//          --warm-runs <n> (warm-path processes, each making that many invocations, default 3),
//          --memory-marks <n,n,...> (memory readings, default 10000,50000,100000),
//          --only cold,size,warm,memory,api,build,reload
//          --compare <path/to/index.mjs> (warm path: another build of price-fetcher as one more side, e.g. a
//          change built and copied out of dist/ beforehand, so it is measured against this tree's build in
//          the same processes)
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildFunctions } from '#build/build-functions.ts';
import { lambdaEntryPoint } from '#build/lambda-entry.ts';
import { repoRoot } from '#build/paths.ts';
import { BenchStores } from './lib/bench-stores.ts';
import { measureApi } from './lib/api-load.ts';
import { measureHotReload } from './lib/hot-reload.ts';
import { measureFullBuild, measureIncrementalRebuild } from './lib/build-timing.ts';
import type { ColdStartResult } from './lib/cold-start.ts';
import { measureColdStarts, measureImport } from './lib/cold-start.ts';
import type { Summary } from './lib/stats.ts';
import { percentile, ratio, round, summarize } from './lib/stats.ts';
import type { BuiltBundle, Variant } from './lib/variants.ts';
import { PRODUCTION, VARIANTS, buildVariant } from './lib/variants.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '15' },
    invocations: { type: 'string', default: '20000' },
    'warm-runs': { type: 'string', default: '3' },
    'memory-marks': { type: 'string', default: '10000,50000,100000' },
    only: { type: 'string', default: 'cold,size,warm,memory,api,build,reload' },
    compare: { type: 'string' },
  },
});
const runs = Number(values.runs);
const invocations = Number(values.invocations);
const warmRuns = Number(values['warm-runs']);
const sections = new Set(values.only.split(','));
const candidateBundle = values.compare === undefined ? undefined : resolve(values.compare);
if (candidateBundle !== undefined && !existsSync(candidateBundle)) {
  throw new Error(`--compare: no bundle at ${candidateBundle} (give the index.mjs of a price-fetcher build)`);
}
const root = repoRoot();
const results: Record<string, unknown> = {
  date: new Date().toISOString(),
  node: process.version,
  runs,
  invocations,
};
interface WarmSide {
  p50: number;
  p99: number;
  perSecond: number;
  cpuPerCallUs: number;
}
interface WarmRun {
  handler: WarmSide;
  raw: WarmSide;
  anchor: WarmSide;
  /** With --compare: the other build, and its own overhead over the raw calls. */
  candidate?: WarmSide;
  candidateOverheadP50?: number;
  candidateOverheadTotal?: number;
  overheadP50: number;
  overheadTotal: number;
  overheadCpu: number;
}
const print = (line = '') => process.stdout.write(`${line}\n`);
const ms = (value: number) => `${round(value, 2)} ms`;

/** The event each function is benchmarked with: its main success case. */
const BENCH_EVENTS: Record<string, string> = {
  'price-fetcher': 'price-event.json',
  'config-service': 'config-get-event.json',
};
const functionNames = Object.keys(BENCH_EVENTS);

print(`Building (npm run build) ...`);
await buildFunctions(root);
mkdirSync(join(root, 'bench', '.tmp'), { recursive: true });
const stores = await BenchStores.start(root, {
  audit: 'pricing-audit-local',
  config: 'pricing-config-local',
});

const envFor = (name: string): Record<string, string> => stores.functionEnv(root, name);
const eventFile = (name: string) => join(root, 'infra-local', 'events', BENCH_EVENTS[name]!);

try {
  if (sections.has('cold') || sections.has('size')) {
    const cold: Record<string, unknown> = {};
    for (const name of functionNames) {
      const env = envFor(name);
      const floor = await buildVariant(
        root,
        'floor',
        join(root, 'bench', 'fixtures', 'floor-handler.ts'),
        PRODUCTION,
      );
      const anchor = await buildVariant(
        root,
        'anchor',
        join(root, 'bench', 'fixtures', 'anchor-handler.ts'),
        PRODUCTION,
      );
      const ioAnchor = await buildVariant(
        root,
        'io-anchor',
        join(root, 'bench', 'fixtures', 'io-anchor-handler.ts'),
        PRODUCTION,
      );
      const chosen = sections.has('size') ? VARIANTS : [PRODUCTION];
      const entry = lambdaEntryPoint(name);
      const built: Record<string, Awaited<ReturnType<typeof buildVariant>>> = {};
      for (const variant of chosen as Variant[])
        built[variant.id] = await buildVariant(root, name, entry, variant);
      const production = built[PRODUCTION.id]!;
      const measured = measureColdStarts(
        root,
        [
          { key: 'floor', bundle: floor.file },
          { key: 'anchor', bundle: anchor.file },
          { key: 'ioAnchor', bundle: ioAnchor.file },
          ...Object.entries(built).map(([key, bundle]) => ({ key, bundle: bundle.file })),
          { key: 'sourceMaps', bundle: production.file, nodeFlags: ['--enable-source-maps'] },
        ],
        eventFile(name),
        env,
        runs,
      );
      const refFloor = measured.floor!;
      const refAnchor = measured.anchor!;
      const refIoAnchor = measured.ioAnchor!;
      const withSourceMaps = measured.sourceMaps!;
      const variants = Object.fromEntries(
        Object.entries(built).map(([key, bundle]) => [key, { ...measured[key]!, ...bundle }]),
      );
      const ours = variants[PRODUCTION.id]!;

      print();
      print(`Cold start: ${name} (median of ${runs} fresh processes per bundle, interleaved; min-max)`);
      print(
        '| bundle | load | init | first invoke | total | / anchor | / I/O anchor | / floor | entry KiB | all code KiB | deflated KiB |',
      );
      print('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
      const kib = (bytes?: number) => (bytes ? String(round(bytes / 1024, 0)) : '');
      const row = (label: string, r: ColdStartResult, size?: BuiltBundle) =>
        print(
          `| ${label} | ${ms(r.load.median)} | ${ms(r.init.median)} | ${ms(r.firstInvoke.median)} | ${ms(r.total.median)} (${round(r.total.min)}-${round(r.total.max)}) | ${ratio(r.total.median, refAnchor.total.median)} | ${ratio(r.total.median, refIoAnchor.total.median)} | ${ratio(r.total.median, refFloor.total.median)} | ${kib(size?.rawBytes)} | ${kib(size?.totalBytes)} | ${kib(size?.zippedBytes)} |`,
        );
      row('floor (bare handler)', refFloor, floor);
      row('anchor (Middy + Powertools hello)', refAnchor, anchor);
      row('I/O anchor (anchor + one DynamoDB put)', refIoAnchor, ioAnchor);
      for (const [id, result] of Object.entries(variants)) {
        row(`${name} ${id}${id === PRODUCTION.id ? ' (production)' : ''}`, result, result);
      }
      row(`${name} production + --enable-source-maps`, withSourceMaps);
      // Oracle mode (production) also imports the driver chunk, during init; the embedded engine never does.
      const driverChunk = readdirSync(join(dirname(production.file), 'chunks')).find((file) =>
        /^oracledb-.*\.mjs$/.test(file),
      );
      const oracleDriver = driverChunk
        ? measureImport(join(dirname(production.file), 'chunks', driverChunk), runs)
        : undefined;
      if (oracleDriver) {
        print(
          `Oracle mode adds the driver chunk to init: import ${ms(oracleDriver.median)} (${round(oracleDriver.min)}-${round(oracleDriver.max)}) in a fresh process.`,
        );
      }
      cold[name] = {
        floor: refFloor,
        anchor: refAnchor,
        ioAnchor: refIoAnchor,
        variants,
        withSourceMaps,
        oracleDriverImport: oracleDriver,
        oursOverAnchor: ratio(ours.total.median, refAnchor.total.median),
        oursOverIoAnchor: ratio(ours.total.median, refIoAnchor.total.median),
        oursOverFloor: ratio(ours.total.median, refFloor.total.median),
        distZipBytes: statSync(join(root, 'dist', `${name}.zip`)).size,
      };
    }
    results.coldStart = cold;
  }

  if (sections.has('warm') || sections.has('memory')) {
    const name = 'price-fetcher';
    const rawCalls = await buildVariant(
      root,
      'raw-store-calls',
      join(root, 'bench', 'fixtures', 'raw-store-calls.ts'),
      PRODUCTION,
    );
    const probe = (mode: 'warm' | 'memory', anchorBundle?: string) =>
      new Promise<Record<string, unknown>>((resolve, reject) => {
        const child = spawn(
          process.execPath,
          [
            '--expose-gc',
            join(root, 'bench', 'warm-probe.ts'),
            join(root, 'dist', name, 'index.mjs'),
            rawCalls.file,
            eventFile(name),
            mode,
            mode === 'memory' ? values['memory-marks'] : String(invocations),
            ...(anchorBundle ? [anchorBundle, ...(candidateBundle ? [candidateBundle] : [])] : []),
          ],
          { env: { ...envFor(name), LOG_LEVEL: 'INFO' }, stdio: ['ignore', 'ignore', 'inherit', 'pipe'] },
        );
        let output = '';
        child.stdio[3]!.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.on('exit', (code) =>
          code === 0
            ? resolve(JSON.parse(output) as Record<string, unknown>)
            : reject(new Error(`warm probe exited ${code}`)),
        );
      });

    if (sections.has('warm')) {
      // Each probe is a fresh process: JIT and memory layout differ between processes by a few percent, so
      // the ratio is a median over processes, each measuring both sides in alternating blocks.
      const perRun: WarmRun[] = [];
      const anchor = await buildVariant(
        root,
        'anchor',
        join(root, 'bench', 'fixtures', 'anchor-handler.ts'),
        PRODUCTION,
      );
      const side = ({ times, wall, cpu }: { times: number[]; wall: number; cpu: number }): WarmSide => {
        const sorted = [...times].sort((a, b) => a - b);
        return {
          p50: percentile(sorted, 50),
          p99: percentile(sorted, 99),
          perSecond: (times.length / wall) * 1000,
          cpuPerCallUs: (cpu / times.length) * 1000,
        };
      };
      for (let run = 0; run < warmRuns; run += 1) {
        const sides = (await probe('warm', anchor.file)) as Record<
          'handler' | 'raw' | 'anchor',
          Parameters<typeof side>[0]
        > & { candidate?: Parameters<typeof side>[0] };
        const handler = side(sides.handler);
        const raw = side(sides.raw);
        const candidate = sides.candidate && side(sides.candidate);
        perRun.push({
          handler,
          raw,
          anchor: side(sides.anchor),
          ...(candidate && {
            candidate,
            candidateOverheadP50: candidate.p50 / raw.p50,
            candidateOverheadTotal: sides.candidate!.wall / sides.raw.wall,
          }),
          overheadP50: handler.p50 / raw.p50,
          overheadTotal: sides.handler.wall / sides.raw.wall,
          overheadCpu: handler.cpuPerCallUs / raw.cpuPerCallUs,
        });
      }
      const across = (pick: (run: WarmRun) => number) => summarize(perRun.map(pick));
      const sideSummary = (pick: (run: WarmRun) => WarmSide) => ({
        p50: across((run) => pick(run).p50),
        p99: across((run) => pick(run).p99),
        perSecond: across((run) => pick(run).perSecond),
        cpuPerCallUs: across((run) => pick(run).cpuPerCallUs),
      });
      const warm = {
        runs: perRun.length,
        handler: sideSummary((run) => run.handler),
        raw: sideSummary((run) => run.raw),
        anchor: sideSummary((run) => run.anchor),
        ...(candidateBundle
          ? {
              candidate: {
                bundle: candidateBundle,
                ...sideSummary((run) => run.candidate!),
                overheadP50: across((run) => run.candidateOverheadP50!),
                overheadTotal: across((run) => run.candidateOverheadTotal!),
              },
            }
          : {}),
        overheadP50: across((run) => run.overheadP50),
        overheadTotal: across((run) => run.overheadTotal),
        overheadCpu: across((run) => run.overheadCpu),
        differenceUs: across((run) => (run.handler.p50 - run.raw.p50) * 1000),
        allowedUs: across((run) => run.raw.p50 * 0.1 * 1000),
        perRun,
      };
      const spread = (s: Summary, digits = 2) => `${round(s.min, digits)}-${round(s.max, digits)}`;
      const cell = (s: Summary) => `${ms(s.median)} (${spread(s)})`;
      const sideRow = (label: string, s: ReturnType<typeof sideSummary>) =>
        print(
          `| ${label} | ${cell(s.p50)} | ${cell(s.p99)} | ${round(s.perSecond.median, 0)} (${spread(s.perSecond, 0)}) | ${round(s.cpuPerCallUs.median, 0)} µs (${spread(s.cpuPerCallUs, 0)}) |`,
        );
      const ratioCell = (s: Summary) => `${round(s.median)} (${spread(s)})`;
      print();
      print(
        `Warm path: ${name}, ${invocations} in-process invocations vs the raw store calls (same query, same put, same clients), in each of ${perRun.length} fresh processes; median (min-max) over processes`,
      );
      print('| path | p50 | p99 | per second | CPU per call (function process) |');
      print('| --- | --- | --- | --- | --- |');
      sideRow('handler (Middy chain)', warm.handler);
      sideRow('raw store calls', warm.raw);
      sideRow('anchor (Middy + Powertools hello, no I/O)', warm.anchor);
      if (warm.candidate) sideRow(`candidate (${values.compare})`, warm.candidate);
      print(
        `overhead handler / raw: ${ratioCell(warm.overheadP50)} at p50, ${ratioCell(warm.overheadTotal)} in total time, ${ratioCell(warm.overheadCpu)} in CPU`,
      );
      if (warm.candidate) {
        print(
          `overhead candidate / raw: ${ratioCell(warm.candidate.overheadP50)} at p50, ${ratioCell(warm.candidate.overheadTotal)} in total time`,
        );
      }
      const { differenceUs, allowedUs } = warm;
      print(
        `per call, handler - raw at p50: ${round(differenceUs.median, 0)} µs (${spread(differenceUs, 0)}), where 1.10 allows ${round(allowedUs.median, 0)} µs; the anchor alone: ${round(warm.anchor.p50.median * 1000, 0)} µs at p50, ${round(warm.anchor.cpuPerCallUs.median, 0)} µs CPU`,
      );
      results.warm = warm;
    }
    if (sections.has('memory')) {
      const { memory } = (await probe('memory')) as {
        memory: Record<string, { rssMb: number; heapUsedMb: number; externalMb: number }>;
      };
      print();
      print(`Memory: ${name} after warm invocations (after a full GC)`);
      print('| invocations | RSS MiB | heap used MiB | external MiB |');
      print('| --- | --- | --- | --- |');
      for (const [count, usage] of Object.entries(memory))
        print(
          `| ${count} | ${round(usage.rssMb, 1)} | ${round(usage.heapUsedMb, 1)} | ${round(usage.externalMb, 1)} |`,
        );
      const readings = Object.entries(memory).sort(([a], [b]) => Number(a) - Number(b));
      const [first, last] = [readings[0]!, readings.at(-1)!];
      const growth = last[1].heapUsedMb - first[1].heapUsedMb;
      print(`heap growth ${first[0]} -> ${last[0]} invocations: ${round(growth, 2)} MiB`);
      results.memory = { ...memory, heapGrowthMb: round(growth, 2) };
    }
  }

  if (sections.has('api')) {
    const api = await measureApi(
      root,
      stores,
      '/price?id=PROD-101&userId=3f8a2c1e-5b7d-4e9f-a1c2-7d6e5f4a3b2c',
      {
        connections: 16,
        seconds: 10,
      },
    );
    const handlerPerSecond = (results.warm as { handler?: { perSecond: Summary } } | undefined)?.handler
      ?.perSecond.median;
    print();
    print(
      'Local API: npm run start-api under autocannon (GET /price success; 1 connection, then 16 for 10 s)',
    );
    print('| load | requests/s | p50 | p99 | requests | non-2xx | errors | / in-process handler |');
    print('| --- | --- | --- | --- | --- | --- | --- | --- |');
    print(
      `| 1 connection | | ${api.sequential.p50} ms | ${api.sequential.p99} ms | ${api.sequential.requests} | | | |`,
    );
    print(
      `| 16 connections | ${round(api.requestsPerSecond, 0)} | ${api.p50} ms | ${api.p99} ms | ${api.requests} | ${api.non2xx} | ${api.errors} | ${handlerPerSecond ? ratio(api.requestsPerSecond, handlerPerSecond) : 'run with warm'} |`,
    );
    results.api = {
      ...api,
      overHandlerThroughput: handlerPerSecond ? ratio(api.requestsPerSecond, handlerPerSecond) : null,
    };
  }

  if (sections.has('build') || sections.has('reload')) {
    print();
    print('Build');
    print('| what | median | min-max |');
    print('| --- | --- | --- |');
    const build: Record<string, unknown> = {};
    if (sections.has('build')) {
      const full = measureFullBuild(root, 3);
      const incremental = await measureIncrementalRebuild(root, 'price-fetcher', 10);
      print(
        `| npm run build (all functions, zips) | ${ms(full.median)} | ${round(full.min)}-${round(full.max)} |`,
      );
      print(
        `| incremental rebuild after one change (hot-reload path) | ${ms(incremental.median)} | ${round(incremental.min)}-${round(incremental.max)} |`,
      );
      Object.assign(build, { full, incremental });
    }
    if (sections.has('reload')) {
      const hotReload = await measureHotReload(
        root,
        stores,
        '/price?id=PROD-101&userId=3f8a2c1e-5b7d-4e9f-a1c2-7d6e5f4a3b2c',
        5,
      );
      print(
        `| hot reload: save in common/ to the change served by start-api (both functions rebuilt and recycled) | ${ms(hotReload.served.median)} | ${round(hotReload.served.min)}-${round(hotReload.served.max)} |`,
      );
      print(
        `| of which: rebuild (start-api's log) | ${ms(hotReload.rebuild.median)} | ${round(hotReload.rebuild.min)}-${round(hotReload.rebuild.max)} |`,
      );
      print(
        `| of which: new environment's init (start-api's log) | ${ms(hotReload.warmStart.median)} | ${round(hotReload.warmStart.min)}-${round(hotReload.warmStart.max)} |`,
      );
      build.hotReload = hotReload;
    }
    results.build = build;
  }
} finally {
  await stores.stop();
}

writeFileSync(join(root, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
print();
print('Wrote bench/results.json');
