/**
 * How a file writes its numbers and dates: the default (`1234.56`, `2024-01-31`), or as a
 * spreadsheet in a European locale saves a CSV (`1234,56` or `1 234,56`, `31/01/2024`). A load
 * is read with one set of formats, given on the command line and never guessed: the producer
 * records it with the load, every chunk job carries it, and verify reads the file with it.
 */

/** The date forms a load may be read with (day, month and year in the order named). */
export const DATE_FORMATS = [
  'YYYY-MM-DD',
  'DD/MM/YYYY',
  'MM/DD/YYYY',
  'DD-MM-YYYY',
  'MM-DD-YYYY',
  'DD.MM.YYYY',
  'MM.DD.YYYY',
] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

export interface RowFormats {
  /** amounts written with a decimal comma (`1234,56`, `1 234,56`, `1.234,56`) */
  decimalComma: boolean;
  dateFormat: DateFormat;
}

export const DEFAULT_FORMATS: RowFormats = { decimalComma: false, dateFormat: 'YYYY-MM-DD' };

export function isDateFormat(value: unknown): value is DateFormat {
  return typeof value === 'string' && (DATE_FORMATS as readonly string[]).includes(value);
}

/** A RowFormats value, checked field by field (a chunk job's payload may come from elsewhere). */
export function isRowFormats(value: unknown): value is RowFormats {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<Record<keyof RowFormats, unknown>>;
  return typeof v.decimalComma === 'boolean' && isDateFormat(v.dateFormat);
}

/** The formats as recorded or carried (absent fields are the defaults: loads and jobs from before). */
export function rowFormatsOf(recorded: Partial<RowFormats> | undefined): RowFormats {
  return { ...DEFAULT_FORMATS, ...recorded };
}

/** True when the formats are the defaults (nothing to record, carry or show). */
export function isDefaultFormats(formats: RowFormats): boolean {
  return !formats.decimalComma && formats.dateFormat === DEFAULT_FORMATS.dateFormat;
}
