import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildApp } from '../src/app.ts';

/**
 * Synthesizes every stack into cdk.out, offline and without credentials, with the cdk-nag rule packs as a
 * gate: any unacknowledged finding fails with exit 1 and the findings listed.
 *   node bin/app.ts [--context key=value ...] [--output dir]
 */
const { values } = parseArgs({
  options: {
    context: { type: 'string', short: 'c', multiple: true, default: [] },
    output: { type: 'string', short: 'o', default: 'cdk.out' },
  },
});
const context: Record<string, string> = {};
for (const pair of values.context) {
  const at = pair.indexOf('=');
  if (at < 1) throw new Error(`--context expects key=value, got ${pair}`);
  context[pair.slice(0, at)] = pair.slice(at + 1);
}

const started = performance.now();
// When the cdk CLI runs this file it passes its context and output directory through the environment.
const { app } = buildApp({ context, ...(process.env.CDK_OUTDIR ? {} : { outdir: values.output }) });
try {
  const assembly = app.synth();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `synthesized ${assembly.stacks.length} stacks into ${assembly.directory} in ${seconds} s; cdk-nag: no unacknowledged finding`,
  );
  for (const stack of assembly.stacks) {
    console.log(
      `  ${stack.stackName.padEnd(24)} ${stack.environment.account}/${stack.environment.region}  ${stack.templateFile}`,
    );
  }
} catch (error) {
  const report = join(values.output, 'validation-report.json');
  console.error(`synth failed: ${(error as Error).message.split('\n')[0]}`);
  if (existsSync(report)) {
    const parsed = JSON.parse(readFileSync(report, 'utf8')) as {
      pluginReports?: {
        violations?: { ruleName: string; violatingConstructs?: { constructPath?: string }[] }[];
      }[];
    };
    for (const plugin of parsed.pluginReports ?? []) {
      for (const v of plugin.violations ?? []) {
        console.error(
          `  ${v.ruleName}: ${(v.violatingConstructs ?? []).map((c) => c.constructPath ?? '?').join(', ')}`,
        );
      }
    }
    console.error(`full report: ${report}`);
  } else {
    console.error(error);
  }
  process.exitCode = 1;
}
