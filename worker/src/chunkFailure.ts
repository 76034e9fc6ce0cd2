/** Error text safe to store and log: the first line, bounded (driver errors carry no row data). */
export function describeError(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return text.split('\n')[0]!.slice(0, 500);
}
