/** Summary of repeated measurements. Medians, because these machines are noisy. */
export interface Summary {
  median: number;
  min: number;
  max: number;
  runs: number;
}

export const percentile = (sorted: number[], p: number): number => {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
};

export const summarize = (values: number[]): Summary => {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    median: percentile(sorted, 50),
    min: sorted[0] ?? Number.NaN,
    max: sorted.at(-1) ?? Number.NaN,
    runs: values.length,
  };
};

export const round = (value: number, digits = 2): number => Math.round(value * 10 ** digits) / 10 ** digits;

/** `a / b` rounded, for the ratio columns. */
export const ratio = (a: number, b: number): number => round(a / b, 2);
