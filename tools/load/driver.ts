import type { PlannedRequest } from './plan.ts';
import type { LoadTarget } from './targets.ts';

export interface LoadResult {
  request: PlannedRequest;
  correlationId: string;
  statusCode: number;
  requestId: string | undefined;
  latencyMs: number;
  /** Set when the target itself failed (network error, handler threw): a failure of the run. */
  error?: string;
}

export interface LoadRun {
  results: LoadResult[];
  elapsedMs: number;
  /** True when the wall-clock cap stopped the run before every request was sent. */
  timedOut: boolean;
}

/**
 * Sends every planned request through `target`, `concurrency` at a time, each with a correlation id
 * `<runId>-<index>` (how the audit items of the run are found again). Stops sending at `deadlineMs`.
 */
export const runLoad = async (options: {
  target: LoadTarget;
  plan: PlannedRequest[];
  concurrency: number;
  runId: string;
  deadlineMs?: number;
  onProgress?: (done: number) => void;
}): Promise<LoadRun> => {
  const { target, plan, concurrency, runId } = options;
  const started = performance.now();
  const deadline = options.deadlineMs === undefined ? Infinity : started + options.deadlineMs;
  const results: LoadResult[] = [];
  let next = 0;
  let timedOut = false;

  const worker = async (): Promise<void> => {
    while (next < plan.length) {
      if (performance.now() > deadline) {
        timedOut = true;
        return;
      }
      const request = plan[next++]!;
      const correlationId = `${runId}-${request.index}`;
      const sent = performance.now();
      try {
        const response = await target.send(request, correlationId);
        results.push({ request, correlationId, ...response, latencyMs: performance.now() - sent });
      } catch (error) {
        results.push({
          request,
          correlationId,
          statusCode: 0,
          requestId: undefined,
          latencyMs: performance.now() - sent,
          error: (error as Error).message,
        });
      }
      options.onProgress?.(results.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, plan.length) }, worker));
  return { results, elapsedMs: performance.now() - started, timedOut };
};

/** The value below which `fraction` of the sorted samples lie (nearest rank). */
export const percentile = (sorted: number[], fraction: number): number =>
  sorted.length === 0
    ? 0
    : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))]!;
