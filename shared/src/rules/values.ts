/** Parsers for the typed columns. Each returns undefined when the text is not acceptable. */

const INTEGER = /^\d+$/;
const DECIMAL_PARTS = /^([+-]?)(?=\.?\d)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const INT32_MAX = 2 ** 31 - 1;

/** A non-negative integer written in plain digits, within int32. */
export function parseInteger(text: string): number | undefined {
  if (!INTEGER.test(text)) return undefined;
  const n = Number(text);
  return n <= INT32_MAX ? n : undefined;
}

/**
 * Largest billing amount accepted, in either sign: 13 digits before the point. A double holds
 * every cent exactly up to about 9 × 10^13, so amounts in this range are stored to the cent, and
 * sums over the column stay finite.
 */
export const MAX_AMOUNT = 9_999_999_999_999.99;

/**
 * A decimal number rounded to 2 decimals, half away from zero, within ±MAX_AMOUNT. The rounding
 * works on the decimal digits as written ("2.135" -> 2.14), not on the nearest binary double,
 * which can sit just below the half.
 */
export function parseAmount(text: string): number | undefined {
  const m = DECIMAL_PARTS.exec(text);
  if (!m || !Number.isFinite(Number(text))) return undefined;
  const [, sign = '', whole = '', fraction = '', exponent = '0'] = m;
  const digits = `${whole}${fraction}`;
  // Position of the decimal point once the value is expressed in cents.
  const point = whole.length + Number(exponent) + 2;
  let cents: number;
  if (point <= 0) cents = 0;
  else if (point >= digits.length) cents = Number(digits.padEnd(point, '0'));
  else cents = Number(digits.slice(0, point)) + (Number(digits[point]) >= 5 ? 1 : 0);
  const value = cents / 100;
  // Checked after rounding: "1e308" is a finite double, but not in cents (nor as a sum).
  if (!(value <= MAX_AMOUNT)) return undefined;
  return sign === '-' && value !== 0 ? -value : value;
}

/** A real calendar date in YYYY-MM-DD, as a Date at UTC midnight. */
export function parseDate(text: string): Date | undefined {
  const m = ISO_DATE.exec(text);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  const real = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return real ? date : undefined;
}
