import type { Manifest, PromotionRecord } from './model.ts';
import { stageVerdicts } from './promotions.ts';

/** True once DR runs the version, by its latest records: the release is then "globally synced". */
export function isGloballySynced(records: readonly PromotionRecord[]): boolean {
  const verdicts = [...stageVerdicts(records, 'dr').values()];
  return verdicts.length > 0 && verdicts.every((v) => v.result === 'smoke-passed');
}

/**
 * The GitHub Release body: version, build commit, checksums, who approved each gate and when, and the
 * global sync state. Rendered from the vault so the Release repeats the evidence instead of restating it.
 */
export function renderReleaseNotes(manifest: Manifest, records: readonly PromotionRecord[]): string {
  const approvals = records.filter((r) => r.result === 'approved');
  const passes = records.filter((r) => r.result === 'smoke-passed');
  const dr = records.find((r) => r.environment === 'dr' && r.result === 'smoke-passed');
  const lines = [
    `## ${manifest.version}`,
    '',
    `- Commit: \`${manifest.commit}\``,
    `- Built: ${manifest.builtAt} by ${manifest.builder}`,
    `- Globally synced: ${dr ? `yes (DR smoke-passed ${dr.at}, ${dr.run})` : 'no (DR not deployed yet)'}`,
    '',
    '### Checksums (SHA-256)',
    '',
    '| File | Size | SHA-256 |',
    '| --- | --- | --- |',
    ...manifest.files.map((f) => `| ${f.name} | ${f.size} | \`${f.sha256}\` |`),
    '',
    '### Approvals',
    '',
    ...(approvals.length
      ? approvals.map((a) => `- ${a.environment}: approved by ${a.actor} at ${a.at} (${a.run})`)
      : ['- none recorded']),
    '',
    '### Smoke-tested deployments',
    '',
    ...(passes.length ? passes.map((p) => `- ${p.environment}: ${p.at} (${p.run})`) : ['- none yet']),
    '',
  ];
  return lines.join('\n');
}
