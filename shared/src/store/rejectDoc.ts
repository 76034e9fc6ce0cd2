/** A rejected row: where it was, what it held, and every reason it was refused. */
export interface RejectDoc {
  /** `${loadId}:${row}`, so a retried chunk rewrites the same rejects */
  _id: string;
  loadId: string;
  row: number;
  line: number;
  /**
   * the row's fields as read, keyed by the file's header names, in header order (see
   * rejectValues); bounded, so that a hostile row still fits in a document
   */
  values: Record<string, string>;
  reasons: string[];
  at: Date;
}

/** Fields kept with a reject, and characters kept of each. */
const KEPT_FIELDS = 100;
const KEPT_CHARS = 2000;

/**
 * A rejected row's fields keyed by the header's names ("Name", "Age", … as the file wrote
 * them), so that a stored reject reads without its file. A field without a usable name (beyond
 * the header, under an empty or repeated name, or one MongoDB cannot store as a key: containing
 * "." or starting with "$") is keyed by its position, "column 16".
 */
export function rejectValues(header: readonly string[], fields: readonly string[]): Record<string, string> {
  const values: Record<string, string> = {};
  fields.slice(0, KEPT_FIELDS).forEach((field, i) => {
    const name = header[i]?.replace(/^\uFEFF/, '').trim() ?? '';
    const usable = name !== '' && !name.includes('.') && !name.startsWith('$') && !(name in values);
    values[usable ? name : `column ${i + 1}`] =
      field.length > KEPT_CHARS ? `${field.slice(0, KEPT_CHARS)}…[${field.length} chars]` : field;
  });
  if (fields.length > KEPT_FIELDS) values['…'] = `[${fields.length} fields]`;
  return values;
}
