import { ENVIRONMENTS, type Environment, type PromotionResult } from './constants.ts';
import type { PromotionRecord } from './model.ts';
import type { Vault } from './vault.ts';

export interface VersionStatus {
  version: string;
  commit: string | null;
  /** Results per environment, oldest first. */
  environments: Record<Environment, PromotionResult[]>;
  /** Why the version is in the graveyard, or null while it is alive. */
  graveyard: string | null;
}

/**
 * A version is in the graveyard when someone abandoned it, or when its latest event is a failure: the
 * pipeline halted there and the version stays in the vault only as evidence.
 */
export function graveyardReason(records: readonly PromotionRecord[]): string | null {
  const abandoned = records.find((r) => r.result === 'abandoned');
  if (abandoned) return `abandoned in ${abandoned.environment} by ${abandoned.actor}`;
  const last = records.at(-1);
  if (last && (last.result === 'smoke-failed' || last.result === 'deploy-failed')) {
    return `halted: ${last.result} in ${last.environment}`;
  }
  return null;
}

/** Reads every version's manifest and promotion records from the vault. */
export async function collectStatus(vault: Vault): Promise<VersionStatus[]> {
  const out: VersionStatus[] = [];
  for (const version of await vault.listVersions()) {
    const records = await vault.listPromotions(version);
    const commit = await vault.readManifest(version).then(
      (m) => m.commit,
      () => null,
    );
    const environments = Object.fromEntries(ENVIRONMENTS.map((e) => [e, [] as PromotionResult[]])) as Record<
      Environment,
      PromotionResult[]
    >;
    for (const r of records) environments[r.environment].push(r.result);
    out.push({ version, commit, environments, graveyard: graveyardReason(records) });
  }
  return out;
}

/** A fixed-width table (one row per version, one column per environment) and the graveyard list. */
export function formatStatus(statuses: readonly VersionStatus[]): string {
  if (statuses.length === 0) return 'the vault holds no versions yet\n';
  const header = ['version', 'commit', ...ENVIRONMENTS];
  const rows = statuses.map((s) => [
    s.version,
    s.commit ? s.commit.slice(0, 7) : '(no manifest)',
    ...ENVIRONMENTS.map((e) => (s.environments[e].length ? s.environments[e].join(' > ') : '-')),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const lines = [line(header), ...rows.map(line)];
  const dead = statuses.filter((s) => s.graveyard);
  lines.push('', dead.length ? 'graveyard:' : 'graveyard: empty');
  for (const s of dead) lines.push(`  ${s.version}  ${s.graveyard}`);
  return `${lines.join('\n')}\n`;
}
