// npm run bench:profile: where does a cold start go? Profiles one cold start of a function's bundle with
// --cpu-prof (built unminified, same settings otherwise) and attributes self time to the bundled modules,
// using the `// <path>` markers esbuild writes before each module. Needs nothing running.
// Usage: node bench/profile.ts [function] [--top 25]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { lambdaRuntimeEnv } from '../infra-local/lite/lambda-runtime.ts';
import { findFunction, liteEnvironment } from '../infra-local/lite/lite-env.ts';
import { repoRoot } from '../infra-local/lite/paths.ts';
import { BenchStores } from './lib/bench-stores.ts';
import { buildVariant } from './lib/variants.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '25' } },
});
const name = positionals[0] ?? 'price-fetcher';
const root = repoRoot();
const fn = findFunction(root, name);
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
  const env = lambdaRuntimeEnv({
    functionName: fn.functionName,
    memoryMb: fn.memoryMb,
    handler: fn.handler,
    codeDir: fn.codeDir,
    env: {
      ...liteEnvironment(root, fn),
      DYNAMODB_ENDPOINT: stores.endpoint,
      SQLITE_PATH: stores.sqlitePath,
      NODE_OPTIONS: '',
    },
  });
  const dir = mkdtempSync(join(tmpdir(), 'cold-profile-'));
  execFileSync(
    process.execPath,
    [
      '--cpu-prof',
      '--cpu-prof-interval',
      '100',
      '--cpu-prof-dir',
      dir,
      join(root, 'bench', 'cold-start-probe.mjs'),
      built.file,
      join(root, 'infra-local', 'events', 'price-event.json'),
    ],
    { env, stdio: 'ignore' },
  );
  const profile = JSON.parse(readFileSync(join(dir, readdirSync(dir)[0]!), 'utf8')) as Profile;

  // Line -> module, from esbuild's "// node_modules/x/y.js" markers in the unminified bundle.
  const markers: { line: number; module: string }[] = [];
  readFileSync(built.file, 'utf8')
    .split('\n')
    .forEach((text, line) => {
      const match = /^\/\/ ((?:node_modules|common|functions)\/\S+)$/.exec(text);
      if (match) markers.push({ line, module: match[1]! });
    });
  const moduleAt = (line: number): string => {
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
  const packageOf = (module: string) => {
    const match = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(module);
    return match ? match[1]! : module.split('/').slice(0, 2).join('/');
  };

  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfTime = new Map<string, number>();
  profile.samples.forEach((id, index) => {
    const node = byId.get(id)!;
    const { url, functionName, lineNumber } = node.callFrame;
    const key = url.endsWith(built.file.split('/').pop()!)
      ? packageOf(moduleAt(lineNumber))
      : url
        ? `(node) ${url.replace(/^node:/, '')}`
        : `(${functionName || 'native'})`;
    selfTime.set(key, (selfTime.get(key) ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000);
  });
  const total = [...selfTime.values()].reduce((sum, value) => sum + value, 0);
  process.stdout.write(
    `Self time of one cold start of ${name} by origin (total ${total.toFixed(1)} ms sampled):\n`,
  );
  for (const [key, value] of [...selfTime.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, Number(values.top))) {
    process.stdout.write(
      `${value.toFixed(1).padStart(8)} ms  ${((value / total) * 100).toFixed(1).padStart(5)}%  ${key}\n`,
    );
  }
} finally {
  await stores.stop();
}
