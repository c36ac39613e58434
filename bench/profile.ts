// npm run bench:profile: where does the time go? Profiles one cold start of a function's bundle (or, with
// --warm <n>, n warm invocations of price-fetcher and as many raw store calls) with --cpu-prof, built
// unminified with the same settings otherwise, and attributes self time to the bundled modules using the
// `// <path>` markers esbuild writes before each module. Needs nothing running.
// Usage: node bench/profile.ts [function] [--top 25] [--warm 5000] [--detail <package>]
// (--detail lists the functions a package's self time is spent in, for example --detail zod)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { repoRoot } from '../infra-local/lite/paths.ts';
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
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

try {
  const built = await buildVariant(root, name, join(root, 'functions', name, 'src', 'handler.ts'), {
    id: 'profile',
    format: 'esm',
    sdk: 'bundled',
    minify: false,
  });
  const env = stores.functionEnv(root, name);
  const dir = mkdtempSync(join(tmpdir(), 'cold-profile-'));
  const event = join(root, 'infra-local', 'events', 'price-event.json');
  const probe = values.warm
    ? [
        join(root, 'bench', 'warm-probe.ts'),
        built.file,
        (
          await buildVariant(root, 'raw-store-calls', join(root, 'bench', 'fixtures', 'raw-store-calls.ts'), {
            id: 'profile',
            format: 'esm',
            sdk: 'bundled',
            minify: false,
          })
        ).file,
        event,
        'warm',
        values.warm,
      ]
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
  const moduleAt = (url: string, line: number): string => {
    const markers = markersOf(url);
    let low = 0;
    let high = markers.length - 1;
    let found = '(bundle prelude)';
    while (low <= high) {
      const mid = (low + high) >> 1;
      if (markers[mid]!.line <= line) {
        found = markers[mid]!.module;
        low = mid + 1;
      } else high = mid - 1;
    }
    return found;
  };
  const inBundle = (url: string) => url.startsWith('file://') && fileURLToPath(url).startsWith(`${outdir}/`);
  const packageOf = (module: string) => {
    const match = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(module);
    return match ? match[1]! : module.split('/').slice(0, 2).join('/');
  };

  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfTime = new Map<string, number>();
  const detail = new Map<string, number>();
  profile.samples.forEach((id, index) => {
    const node = byId.get(id)!;
    const { url, functionName, lineNumber } = node.callFrame;
    const module = inBundle(url) ? moduleAt(url, lineNumber) : undefined;
    const key = module
      ? packageOf(module)
      : url
        ? `(node) ${url.replace(/^node:/, '')}`
        : `(${functionName || 'native'})`;
    const delta = (profile.timeDeltas[index] ?? 0) / 1000;
    selfTime.set(key, (selfTime.get(key) ?? 0) + delta);
    if (values.detail && key === values.detail) {
      const where = `${functionName || '(anonymous)'} ${module}:${lineNumber}`;
      detail.set(where, (detail.get(where) ?? 0) + delta);
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
  if (values.detail) {
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
