/**
 * fast-check parameters for the property tests: HOSTILE_RUNS raises the number of runs for a soak, and
 * every run prints its seed, so any failure (even one that did not shrink well) is replayed exactly with
 * `FC_SEED=<seed> npx jest <file>`.
 */
export const propertyParameters = (suite: string, defaultRuns: number): { numRuns: number; seed: number } => {
  const numRuns = Number(process.env.HOSTILE_RUNS ?? defaultRuns);
  const seed =
    process.env.FC_SEED === undefined ? Math.floor(Math.random() * 0x7fffffff) : Number(process.env.FC_SEED);
  if (!Number.isSafeInteger(seed)) throw new Error(`FC_SEED must be an integer, got ${process.env.FC_SEED}`);
  process.stderr.write(`${suite}: fast-check seed ${seed}, ${numRuns} runs (replay: FC_SEED=${seed})\n`);
  return { numRuns, seed };
};
