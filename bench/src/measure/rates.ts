/** Rows per second of `n` rows in `ms` milliseconds, rounded. */
export const perSec = (n: number, ms: number): number => Math.round(n / (ms / 1000));

/** Runs `fn` `repeat` times (each with its own attempt number, for fresh databases); keeps the best. */
export async function bestOf<T extends { rowsPerSec: number }>(
  repeat: number,
  fn: (attempt: number) => Promise<T>,
): Promise<T> {
  let best: T | undefined;
  for (let attempt = 1; attempt <= repeat; attempt++) {
    const r = await fn(attempt);
    if (!best || r.rowsPerSec > best.rowsPerSec) best = r;
  }
  return best!;
}
