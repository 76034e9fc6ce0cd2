import { COLUMNS, type Column } from './columns.js';

/** Where each canonical column sits in a file's header, and what the header holds besides. */
export interface HeaderMap {
  /** index in the record of each column, in COLUMNS order */
  indexes: number[];
  /** header fields that are not one of the 15 columns (ignored) */
  extras: string[];
  /** number of header fields up to the last named one: the field count every row must have */
  width: number;
  /**
   * empty header cells after the last named one (a spreadsheet export's trailing comma): a row
   * may carry up to this many more fields, provided they are empty
   */
  trailingEmpty: number;
}

export class HeaderError extends Error {
  constructor(
    message: string,
    readonly missing: Column[] = [],
  ) {
    super(message);
    this.name = 'HeaderError';
  }
}

const BOM = '\uFEFF';

function canonicalKey(name: string): string {
  return name.replace(/\s+/g, ' ').trim().toLowerCase();
}

/**
 * Matches a header record against the schema: names trimmed, compared case-insensitively,
 * in any order; a UTF-8 BOM before the first name is ignored.
 * Throws HeaderError naming every missing or duplicated column.
 */
export function mapHeader(fields: readonly string[]): HeaderMap {
  const all = fields.map((f, i) => (i === 0 && f.startsWith(BOM) ? f.slice(1) : f));
  let width = all.length;
  while (width > 0 && all[width - 1]!.trim() === '') width--;
  const names = all.slice(0, width);
  const positions = new Map<string, number[]>();
  names.forEach((name, i) => {
    const key = canonicalKey(name);
    positions.set(key, [...(positions.get(key) ?? []), i]);
  });
  const missing: Column[] = [];
  const duplicated: Column[] = [];
  const indexes: number[] = [];
  for (const column of COLUMNS) {
    const at = positions.get(column.toLowerCase());
    if (!at) missing.push(column);
    else {
      if (at.length > 1) duplicated.push(column);
      indexes.push(at[0] ?? -1);
    }
  }
  if (missing.length > 0) {
    const list = missing.map((c) => `"${c}"`).join(', ');
    throw new HeaderError(
      `header lacks column${missing.length > 1 ? 's' : ''} ${list} (expected the 15 columns: ${COLUMNS.join(', ')})`,
      missing,
    );
  }
  if (duplicated.length > 0) {
    throw new HeaderError(`header repeats column ${duplicated.map((c) => `"${c}"`).join(', ')}`);
  }
  const known = new Set(COLUMNS.map((c) => c.toLowerCase()));
  const extras = names.filter((n) => !known.has(canonicalKey(n))).map((n) => n.trim());
  return { indexes, extras, width, trailingEmpty: all.length - width };
}

/**
 * Whether a row has the header's shape: exactly its width, or up to `trailingEmpty` more fields
 * that are all empty (so rows with or without a spreadsheet's trailing comma are alike).
 */
export function fitsHeader(fields: readonly string[], header: HeaderMap): boolean {
  if (fields.length < header.width || fields.length > header.width + header.trailingEmpty) return false;
  for (let i = header.width; i < fields.length; i++) if (fields[i]!.trim() !== '') return false;
  return true;
}
