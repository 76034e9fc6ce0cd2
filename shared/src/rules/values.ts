import { DEFAULT_FORMATS, type DateFormat } from './rowFormats.js';

/** Parsers for the typed columns. Each returns undefined when the text is not acceptable. */

const INTEGER = /^\d+$/;
const DECIMAL_PARTS = /^([+-]?)(?=\.?\d)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
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
 * which can sit just below the half. With `decimalComma`, the number is written as a spreadsheet
 * in a European locale writes it (see amountWithPoint): `1234,56`, `1 234,56`, `1.234,56`.
 */
export function parseAmount(text: string, decimalComma = false): number | undefined {
  const written = decimalComma ? amountWithPoint(text) : text;
  return written === undefined ? undefined : parsePointAmount(written);
}

/** parseAmount of an amount written with a decimal point. */
function parsePointAmount(text: string): number | undefined {
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

/** Thousands separators of a decimal-comma amount: a space, a no-break space, a narrow no-break space, a point. */
const THOUSANDS = new Set([' ', '\u00a0', '\u202f', '.']);
const COMMA_PARTS = /^([+-]?)([\d \u00a0\u202f.]*)(?:,(\d*))?([eE][+-]?\d+)?$/;

/**
 * A decimal-comma amount rewritten with a decimal point (`-1 234,56` -> `-1234.56`), or
 * undefined where it is not unambiguous: thousands groups of exactly 3 digits after a first group
 * of 1 to 3, one kind of separator throughout, at most one comma, and no exponent with groups.
 * Grouped with points, the comma part is required: `1.234` alone is refused, since a file given
 * --decimal-comma by mistake would otherwise read `1.234` as a thousand times its value.
 */
export function amountWithPoint(text: string): string | undefined {
  const m = COMMA_PARTS.exec(text);
  if (!m) return undefined;
  const [, sign = '', whole = '', fraction, exponent = ''] = m;
  let digits = whole;
  const separator = [...whole].find((c) => THOUSANDS.has(c));
  if (separator !== undefined) {
    const groups = whole.split(separator);
    const grouped = groups.every((g, i) => (i === 0 ? /^\d{1,3}$/ : /^\d{3}$/).test(g));
    if (!grouped || exponent !== '' || (separator === '.' && fraction === undefined)) return undefined;
    digits = groups.join('');
  }
  return `${sign}${digits}${fraction === undefined ? '' : `.${fraction}`}${exponent}`;
}

/** Each date format's pattern: which capture holds the day, the month and the year. */
interface DatePattern {
  regex: RegExp;
  day: number;
  month: number;
  year: number;
}

/**
 * The date formats as patterns. YYYY-MM-DD takes exactly 2 digits for the day and month (as
 * before); the day-first and month-first forms take 1 or 2 (`5/6/2022`, as spreadsheets write
 * them) and always a 4-digit year (a 2-digit year leaves the century to guess).
 */
const DATE_PATTERNS: Record<DateFormat, DatePattern> = {
  'YYYY-MM-DD': { regex: /^(\d{4})-(\d{2})-(\d{2})$/, year: 1, month: 2, day: 3 },
  'DD/MM/YYYY': { regex: /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/, day: 1, month: 2, year: 3 },
  'MM/DD/YYYY': { regex: /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/, month: 1, day: 2, year: 3 },
  'DD-MM-YYYY': { regex: /^(\d{1,2})-(\d{1,2})-(\d{4})$/, day: 1, month: 2, year: 3 },
  'MM-DD-YYYY': { regex: /^(\d{1,2})-(\d{1,2})-(\d{4})$/, month: 1, day: 2, year: 3 },
  'DD.MM.YYYY': { regex: /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/, day: 1, month: 2, year: 3 },
  'MM.DD.YYYY': { regex: /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/, month: 1, day: 2, year: 3 },
};

/** A real calendar date in the given format (YYYY-MM-DD by default), as a Date at UTC midnight. */
export function parseDate(text: string, format: DateFormat = DEFAULT_FORMATS.dateFormat): Date | undefined {
  const pattern = DATE_PATTERNS[format];
  const m = pattern.regex.exec(text);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[pattern.year]), Number(m[pattern.month]), Number(m[pattern.day])];
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  const real = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return real ? date : undefined;
}
