import type { TestStores } from './test-stores.ts';

/** Where a DynamoDB outage stands; a request is certain about a phase only if it started and ended in it. */
export type OutagePhase = 'before' | 'stopping' | 'down' | 'starting' | 'after';

export interface PhasedOutcome {
  started: OutagePhase;
  ended: OutagePhase;
}

/** What the callers of an outage run read (the phase, whether to go on) and fill (their outcomes). */
export interface OutageRun<T extends PhasedOutcome> {
  phase: OutagePhase;
  running: boolean;
  outcomes: T[];
}

const waitUntil = async (condition: () => boolean): Promise<void> => {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
};

/**
 * Takes DynamoDB away mid-run and brings it back while the callers keep requests in flight: at least
 * `perPhase` requests start before, during and after the outage. Returns every outcome, and the ones
 * certain to belong to a phase.
 */
export const runDynamoOutage = async <T extends PhasedOutcome>(
  stores: TestStores,
  perPhase: number,
  startCallers: (run: OutageRun<T>) => Promise<void>[],
): Promise<{ outcomes: T[]; certain: (phase: OutagePhase) => T[] }> => {
  const run: OutageRun<T> = { phase: 'before', running: true, outcomes: [] };
  const count = (started: OutagePhase) =>
    run.outcomes.filter((outcome) => outcome.started === started).length;
  const callers = startCallers(run);
  await waitUntil(() => count('before') >= perPhase);
  run.phase = 'stopping';
  await stores.stopDynamo();
  run.phase = 'down';
  await waitUntil(() => count('down') >= perPhase);
  run.phase = 'starting';
  await stores.startDynamo();
  run.phase = 'after';
  await waitUntil(() => count('after') >= perPhase);
  run.running = false;
  await Promise.all(callers);
  return {
    outcomes: run.outcomes,
    certain: (phase) =>
      run.outcomes.filter((outcome) => outcome.started === phase && outcome.ended === phase),
  };
};
