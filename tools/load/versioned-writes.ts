import type { PlannedRequest } from './plan.ts';
import type { LoadTarget, TargetResponse } from './targets.ts';

/**
 * Fills in `expectedVersion` for planned writes, as a client that read the key would: the current version
 * for a `write`, an older one for a `stale` write. Writes with the current version are serialised per key
 * (a client that read version n and races another client for n + 1 would get a 409 the plan did not
 * expect); everything else runs at full concurrency. Versions start where the stores were seeded.
 */
export const versionedWrites = (
  target: LoadTarget,
  initial: Record<string, number>,
): LoadTarget & { versions: () => Record<string, number> } => {
  const versions = new Map(Object.entries(initial));
  const queues = new Map<string, Promise<unknown>>();

  const send = async (request: PlannedRequest, correlationId: string): Promise<TargetResponse> => {
    const { write } = request;
    if (!write) return target.send(request, correlationId);
    const current = versions.get(write.key) ?? 0;
    if (write.expected === 'stale') {
      // Versions only grow, so anything below the version known now is stale when it arrives.
      const body = JSON.stringify({ value: write.value, expectedVersion: Math.max(0, current - 1) });
      return target.send({ ...request, body }, correlationId);
    }
    const run = async (): Promise<TargetResponse> => {
      const expectedVersion = versions.get(write.key) ?? 0;
      const body = JSON.stringify({ value: write.value, expectedVersion });
      const response = await target.send({ ...request, body }, correlationId);
      if (response.statusCode === 200) versions.set(write.key, expectedVersion + 1);
      return response;
    };
    const previous = queues.get(write.key) ?? Promise.resolve();
    const next = previous.then(run, run);
    queues.set(
      write.key,
      next.catch(() => undefined),
    );
    return next;
  };

  return {
    name: target.name,
    send,
    close: () => target.close(),
    versions: () => Object.fromEntries(versions),
  };
};
