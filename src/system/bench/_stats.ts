/**
 * Small statistics helpers shared by the workloads (private to the folder).
 */

/** The q-quantile (0..1) of `xs` by nearest rank; NaN when empty. Does not modify `xs`. */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = Float64Array.from(xs).sort();
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1));
  return s[i]!;
}

/** The median (lower median for an even count, so it is always a sample). */
export function median(xs: readonly number[]): number {
  return quantile(xs, 0.5);
}

/** Summary of a latency sample set, in virtual ns. */
export interface Distribution {
  count: number;
  min: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/** Summarises samples (all fields NaN when empty). */
export function distribution(xs: readonly number[]): Distribution {
  let sum = 0;
  for (const x of xs) sum += x;
  return {
    count: xs.length,
    min: quantile(xs, 0),
    p50: quantile(xs, 0.5),
    p90: quantile(xs, 0.9),
    p99: quantile(xs, 0.99),
    max: quantile(xs, 1),
    mean: xs.length === 0 ? NaN : sum / xs.length,
  };
}

/** Progress callback: `done` of `total` units finished. */
export type Progress = (done: number, total: number) => void;
