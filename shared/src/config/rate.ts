/** A rate as a fraction in [0, 1] (`0.05`, or the number itself) or a percentage (`5%`); undefined when it is neither. */
export function parseRate(v: string | number): number | undefined {
  if (typeof v === 'number') return v >= 0 && v <= 1 ? v : undefined;
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(%?)\s*$/.exec(v);
  if (!m) return undefined;
  const n = m[2] ? Number(m[1]) / 100 : Number(m[1]);
  return n >= 0 && n <= 1 ? n : undefined;
}
