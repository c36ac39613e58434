import type { AuditItem } from '#common/models/audit.ts';
import type { Reconciliation } from '#testing/audit-reconciliation.ts';
import { reconcileAudit } from '#testing/audit-reconciliation.ts';
import type { LoadRun } from './driver.ts';
import { percentile } from './driver.ts';

export interface LoadReport {
  requests: number;
  completed: number;
  elapsedMs: number;
  throughputPerSecond: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  byStatus: Record<string, number>;
  byKind: Record<string, number>;
  /** Responses whose status differs from the plan's expectation, or that failed at the transport. */
  unexpectedResponses: { index: number; kind: string; expected: number; actual: number; error?: string }[];
  audit: Reconciliation;
  timedOut: boolean;
  ok: boolean;
}

const countBy = <T>(items: T[], key: (item: T) => string): Record<string, number> =>
  items.reduce<Record<string, number>>((counts, item) => {
    counts[key(item)] = (counts[key(item)] ?? 0) + 1;
    return counts;
  }, {});

/**
 * Reconciles a run: every response has the status its kind expects, and the run's audit items (found by
 * correlation id) are exactly one per request, no duplicates, each with the status the caller saw.
 */
export const buildReport = (run: LoadRun, planned: number, auditItems: AuditItem[]): LoadReport => {
  const latencies = run.results.map((result) => result.latencyMs).sort((a, b) => a - b);
  const unexpectedResponses = run.results
    .filter((result) => result.error !== undefined || result.statusCode !== result.request.expectedStatus)
    .map((result) => ({
      index: result.request.index,
      kind: result.request.kind,
      expected: result.request.expectedStatus,
      actual: result.statusCode,
      ...(result.error ? { error: result.error } : {}),
    }));
  const answered = run.results.filter((result) => result.requestId !== undefined);
  const audit = reconcileAudit(
    auditItems,
    answered.map((result) => ({ requestId: result.requestId!, statusCode: result.statusCode })),
  );
  const round = (value: number) => Math.round(value * 10) / 10;
  return {
    requests: planned,
    completed: run.results.length,
    elapsedMs: Math.round(run.elapsedMs),
    throughputPerSecond: round(run.results.length / (run.elapsedMs / 1000)),
    latencyMs: {
      p50: round(percentile(latencies, 0.5)),
      p95: round(percentile(latencies, 0.95)),
      p99: round(percentile(latencies, 0.99)),
      max: round(latencies.at(-1) ?? 0),
    },
    byStatus: countBy(run.results, (result) => String(result.statusCode)),
    byKind: countBy(run.results, (result) => `${result.request.kind} (${result.request.expectedStatus})`),
    unexpectedResponses,
    audit,
    timedOut: run.timedOut,
    ok:
      !run.timedOut &&
      run.results.length === planned &&
      unexpectedResponses.length === 0 &&
      answered.length === planned &&
      audit.ok &&
      audit.found === planned,
  };
};

/** The figures, for people. */
export const formatReport = (report: LoadReport, header: string): string => {
  const lines = [
    header,
    `  requests      ${report.completed} of ${report.requests} in ${(report.elapsedMs / 1000).toFixed(1)} s (${report.throughputPerSecond} req/s)${report.timedOut ? '  STOPPED AT THE TIME CAP' : ''}`,
    `  latency       p50 ${report.latencyMs.p50} ms  p95 ${report.latencyMs.p95} ms  p99 ${report.latencyMs.p99} ms  max ${report.latencyMs.max} ms`,
    `  by kind       ${Object.entries(report.byKind)
      .map(([kind, n]) => `${kind}: ${n}`)
      .join(', ')}`,
    `  by status     ${Object.entries(report.byStatus)
      .map(([status, n]) => `${status}: ${n}`)
      .join(', ')}`,
    `  unexpected    ${report.unexpectedResponses.length} responses`,
    `  audit items   ${report.audit.found} found for ${report.audit.expected} answered requests: missing ${report.audit.missing.length}, duplicated ${report.audit.duplicated.length}, wrong status ${report.audit.mismatched.length}, unexplained ${report.audit.unexpected.length}`,
    `  result        ${report.ok ? 'RECONCILED' : 'FAILED'}`,
  ];
  return `${lines.join('\n')}\n`;
};
