/** Median, 90th percentile, maximum and sum of chunk times (ms). */
export interface Distribution {
  chunks: number;
  median: number;
  p90: number;
  max: number;
  sum: number;
}

/** The distribution of chunk times (ms). */
export function distribution(ms: number[]): Distribution {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { chunks: sorted.length, median: at(0.5), p90: at(0.9), max: at(1), sum: sorted.reduce((a, b) => a + b, 0) };
}
