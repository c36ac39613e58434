// npm run bench:profile: where does the time go? Profiles one cold start of a function's bundle (or, with
// --warm <n>, n warm invocations of price-fetcher and as many raw store calls) with --cpu-prof, built
// unminified with the same settings otherwise, and attributes self time to the bundled modules using the
// `// <path>` markers esbuild writes before each module. Needs nothing running.
// Usage: node bench/profile.ts [function] [--top 25] [--warm 5000] [--detail <package>]
// (--detail lists the functions a package's self time is spent in, for example --detail zod,common/utils)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { lambdaEntryPoint } from '#build/lambda-entry.ts';
import { repoRoot } from '#build/paths.ts';
import { BenchStores } from './lib/bench-stores.ts';
import { buildVariant } from './lib/variants.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '25' }, warm: { type: 'string' }, detail: { type: 'string' } },
});
const name = positionals[0] ?? 'price-fetcher';
const root = repoRoot();
const stores = await BenchStores.start(root, {
  audit: 'pricing-audit-local',
  config: 'pricing-config-local',
});

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

try {
  const built = await buildVariant(root, name, lambdaEntryPoint(name), {
    id: 'profile',
    format: 'esm',
    sdk: 'bundled',
    minify: false,
  });
  const env = stores.functionEnv(root, name);
  const dir = mkdtempSync(join(tmpdir(), 'cold-profile-'));
  const event = join(root, 'infra-local', 'events', 'price-event.json');
  const rawFile = values.warm
    ? (
        await buildVariant(root, 'raw-store-calls', join(root, 'bench', 'fixtures', 'raw-store-calls.ts'), {
          id: 'profile',
          format: 'esm',
          sdk: 'bundled',
          minify: false,
        })
      ).file
    : undefined;
  const probe = rawFile
    ? [join(root, 'bench', 'warm-probe.ts'), built.file, rawFile, event, 'warm', values.warm!]
    : [join(root, 'bench', 'cold-start-probe.mjs'), built.file, event];
  execFileSync(
    process.execPath,
    ['--cpu-prof', '--cpu-prof-interval', '100', '--cpu-prof-dir', dir, ...probe],
    {
      env,
      stdio: ['ignore', 'ignore', 'inherit', 'pipe'],
    },
  );
  const profile = JSON.parse(readFileSync(join(dir, readdirSync(dir)[0]!), 'utf8')) as Profile;

  // Line -> module, from esbuild's "// node_modules/x/y.js" markers in the unminified entry and its chunks.
  const outdir = dirname(built.file);
  const markersByUrl = new Map<string, { line: number; module: string }[]>();
  const markersOf = (url: string) => {
    let markers = markersByUrl.get(url);
    if (!markers) {
      markers = [];
      readFileSync(fileURLToPath(url), 'utf8')
        .split('\n')
        .forEach((text, line) => {
          const match = /^\/\/ ((?:node_modules|common|functions)\/\S+)$/.exec(text);
          if (match) markers!.push({ line, module: match[1]! });
        });
      markersByUrl.set(url, markers);
    }
    return markers;
  };
  /** The module a line belongs to, and the line's offset in it (the same in every bundle built alike). */
  const moduleAt = (url: string, line: number): { module: string; offset: number } => {
    const markers = markersOf(url);
    let low = 0;
    let high = markers.length - 1;
    let found = { module: '(bundle prelude)', offset: line };
    while (low <= high) {
      const mid = (low + high) >> 1;
      if (markers[mid]!.line <= line) {
        found = { module: markers[mid]!.module, offset: line - markers[mid]!.line };
        low = mid + 1;
      } else high = mid - 1;
    }
    return found;
  };
  const outdirs = [outdir, ...(rawFile ? [dirname(rawFile)] : [])];
  const inBundle = (url: string) =>
    url.startsWith('file://') && outdirs.some((dir) => fileURLToPath(url).startsWith(`${dir}/`));
  const packageOf = (module: string) => {
    const match = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(module);
    return match ? match[1]! : module.split('/').slice(0, 2).join('/');
  };

  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  // In --warm mode, which side a sample belongs to: the bundle of its nearest bundled frame (the handler's
  // or the raw calls'), or neither (idle, GC, socket callbacks with no bundled frame on the stack).
  const rawDir = rawFile ? `${dirname(rawFile)}/` : undefined;
  const sideCache = new Map<number, 'handler' | 'raw' | undefined>();
  const sideOf = (id: number): 'handler' | 'raw' | undefined => {
    if (sideCache.has(id)) return sideCache.get(id);
    const { url } = byId.get(id)!.callFrame;
    let side: 'handler' | 'raw' | undefined;
    if (url.startsWith('file://') && inBundle(url)) {
      side = rawDir && fileURLToPath(url).startsWith(rawDir) ? 'raw' : 'handler';
    } else {
      const parent = parentOf.get(id);
      side = parent === undefined ? undefined : sideOf(parent);
    }
    sideCache.set(id, side);
    return side;
  };
  const bySide = { handler: new Map<string, number>(), raw: new Map<string, number>() };
  const details = new Set(values.detail?.split(',') ?? []);
  const selfTime = new Map<string, number>();
  const detail = new Map<string, number>();
  const detailBySide = { handler: new Map<string, number>(), raw: new Map<string, number>() };
  profile.samples.forEach((id, index) => {
    const node = byId.get(id)!;
    const { url, functionName, lineNumber } = node.callFrame;
    const at = inBundle(url) ? moduleAt(url, lineNumber) : undefined;
    const module = at?.module;
    const key = module
      ? packageOf(module)
      : url
        ? `(node) ${url.replace(/^node:/, '')}`
        : `(${functionName || 'native'})`;
    const delta = (profile.timeDeltas[index] ?? 0) / 1000;
    selfTime.set(key, (selfTime.get(key) ?? 0) + delta);
    const side = rawFile ? sideOf(id) : undefined;
    if (side) bySide[side].set(key, (bySide[side].get(key) ?? 0) + delta);
    if (details.has(key)) {
      // Keyed by the line's offset in its module, so the same function in both bundles is one row.
      const where = `${functionName || '(anonymous)'} ${module}:+${at?.offset ?? lineNumber}`;
      detail.set(where, (detail.get(where) ?? 0) + delta);
      if (side) detailBySide[side].set(where, (detailBySide[side].get(where) ?? 0) + delta);
    }
  });
  const total = [...selfTime.values()].reduce((sum, value) => sum + value, 0);
  process.stdout.write(
    `Self time of ${values.warm ? `${values.warm} warm invocations and raw store calls` : 'one cold start'} of ${name} by origin (total ${total.toFixed(1)} ms sampled):\n`,
  );
  for (const [key, value] of [...selfTime.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, Number(values.top))) {
    process.stdout.write(
      `${value.toFixed(1).padStart(8)} ms  ${((value / total) * 100).toFixed(1).padStart(5)}%  ${key}\n`,
    );
  }
  if (rawFile) {
    // The probe warms each side with 500 calls before the measured ones; both are profiled.
    const calls = Number(values.warm) + 500;
    const keys = new Set([...bySide.handler.keys(), ...bySide.raw.keys()]);
    const rows = [...keys]
      .map((key) => {
        const handler = bySide.handler.get(key) ?? 0;
        const raw = bySide.raw.get(key) ?? 0;
        return { key, handler, raw, extra: ((handler - raw) / calls) * 1000 };
      })
      .sort((a, b) => b.extra - a.extra);
    const sum = (map: Map<string, number>) => [...map.values()].reduce((total, value) => total + value, 0);
    process.stdout.write(
      `\nPer call, handler side vs raw side (by the nearest bundled frame on the stack): ` +
        `${((sum(bySide.handler) / calls) * 1000).toFixed(1)} µs vs ${((sum(bySide.raw) / calls) * 1000).toFixed(1)} µs; ` +
        `the largest differences:\n`,
    );
    for (const row of rows.slice(0, Number(values.top))) {
      process.stdout.write(
        `${row.extra.toFixed(1).padStart(8)} µs  ${row.key} (handler ${row.handler.toFixed(0)} ms, raw ${row.raw.toFixed(0)} ms)\n`,
      );
    }
  }
  if (values.detail && rawFile) {
    const calls = Number(values.warm) + 500;
    const rows = [...detail.keys()]
      .map((where) => {
        const handler = detailBySide.handler.get(where) ?? 0;
        const raw = detailBySide.raw.get(where) ?? 0;
        return { where, handler, raw, extra: ((handler - raw) / calls) * 1000 };
      })
      .sort((a, b) => b.extra - a.extra);
    process.stdout.write(`\nPer call inside ${values.detail}, handler side vs raw side, by function:\n`);
    for (const row of rows.slice(0, Number(values.top))) {
      process.stdout.write(
        `${row.extra.toFixed(1).padStart(8)} µs  ${row.where} (handler ${row.handler.toFixed(0)} ms, raw ${row.raw.toFixed(0)} ms)\n`,
      );
    }
  } else if (values.detail) {
    process.stdout.write(`\nSelf time inside ${values.detail}, by function:\n`);
    for (const [where, value] of [...detail.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, Number(values.top))) {
      process.stdout.write(`${value.toFixed(1).padStart(8)} ms  ${where}\n`);
    }
  }
} finally {
  await stores.stop();
}
