// Small figures the benchmarks print.

/** The p-th quantile (0..1) of xs, by rank; NaN when empty. */
export const percentile = (xs: readonly number[], p: number): number =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))] ?? Number.NaN;

export const median = (xs: readonly number[]): number => percentile(xs, 0.5);
