import { COLUMNS, type Column, type RawRow } from '../schema/columns.js';
import type { Admission } from './validate.js';

/** The stored value written back as text, for comparing with what the file held. */
function asText(value: Admission[Column]): string {
  if (value === null) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value);
}

/**
 * The columns whose value the cleaning changed for a valid row: text compared as written
 * (whitespace, casing), numbers compared as numbers ("1000.00" is 1000, "18856.2813" rounded is
 * a change), an empty cell stored as null no change. Counted in the report (`normalized`) so
 * that nothing a load stores differs from the file unseen.
 */
export function normalizedColumns(raw: RawRow, admission: Admission): Column[] {
  return COLUMNS.filter((column) => {
    const stored = admission[column];
    const written = raw[column];
    if (typeof stored === 'number') return Number(written.trim()) !== stored;
    return asText(stored) !== written;
  });
}
