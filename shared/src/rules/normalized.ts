import { COLUMNS, type Column, type RawRow } from '../schema/columns.js';
import { DEFAULT_FORMATS, type RowFormats } from './rowFormats.js';
import type { Admission } from './validate.js';
import { amountWithPoint, parseDate } from './values.js';

/** The number as written, unrounded (a decimal-comma amount read as such), or NaN. */
function writtenNumber(column: Column, written: string, formats: RowFormats): number {
  const text = written.trim();
  if (column !== 'Billing Amount' || !formats.decimalComma) return Number(text);
  return Number(amountWithPoint(text) ?? NaN);
}

/**
 * The columns whose value the cleaning changed for a valid row: text compared as written
 * (whitespace, casing), numbers compared as numbers ("1000.00" is 1000, "18856.2813" rounded is
 * a change), dates as dates read exactly as written, an empty cell stored as null no change.
 * Amounts and dates are read in the load's formats: `1 234,50` with a decimal comma and
 * `5/6/2022` in DD/MM/YYYY are no change. Counted in the report (`normalized`) so that nothing a
 * load stores differs from the file unseen.
 */
export function normalizedColumns(raw: RawRow, admission: Admission, formats = DEFAULT_FORMATS): Column[] {
  return COLUMNS.filter((column) => {
    const stored = admission[column];
    const written = raw[column];
    if (stored === null) return written !== '';
    if (typeof stored === 'number') return writtenNumber(column, written, formats) !== stored;
    if (stored instanceof Date) return parseDate(written, formats.dateFormat)?.getTime() !== stored.getTime();
    return stored !== written;
  });
}
