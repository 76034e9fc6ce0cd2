import { csvFieldFor, type LoadDoc, type RejectDoc, type Store } from '@hcingest/shared';
import type { LineForm } from './rejectsForm.js';

/** The columns a reject export adds after the file's own. */
export const EXPORT_COLUMNS = ['row', 'line', 'reasons'] as const;

/** How a stored value marks a field it kept only in part (see rejectValues). */
const TRUNCATED = /…\[\d+ chars\]$/;

/**
 * The header an export uses: the file's own, as recorded with the load; for a load recorded
 * before headers were kept, the names its rejects were stored under (in file order). Never a
 * byte order mark in the first name (loads recorded before kept the file's there).
 */
export function exportHeader(load: LoadDoc, first: RejectDoc | null): string[] {
  const header = load.header ?? (first ? Object.keys(first.values).filter((k) => k !== '…') : []);
  return header.map((name, i) => (i === 0 ? name.replace(/^\uFEFF/, '') : name));
}

/** A reject's values in header order; a field stored under its position ("column 16") is found there too. */
export function valuesInOrder(header: readonly string[], reject: RejectDoc): string[] {
  const used = new Set<string>();
  const values = header.map((name, i) => {
    const clean = name.replace(/^\uFEFF/, '').trim();
    const key = clean !== '' && !used.has(clean) && clean in reject.values ? clean : `column ${i + 1}`;
    used.add(key);
    return reject.values[key] ?? '';
  });
  // Fields beyond the header (a row with too many fields) follow, so nothing of the row is lost.
  for (let i = header.length; `column ${i + 1}` in reject.values; i++) values.push(reject.values[`column ${i + 1}`]!);
  return values;
}

const COMMA_LF: LineForm = { delimiter: ',', lineEnding: 'lf' };

/** One CSV record in the form given (a comma and LF unless given), its line ending included. */
export function csvLine(fields: readonly string[], form: LineForm = COMMA_LF): string {
  const field = csvFieldFor(form.delimiter);
  return `${fields.map(field).join(form.delimiter)}${form.lineEnding === 'crlf' ? '\r\n' : '\n'}`;
}

/** One reject's fields in an export: the file's fields, then row, line and the reasons ("; "-separated). */
export function rejectFields(header: readonly string[], reject: RejectDoc): string[] {
  return [...valuesInOrder(header, reject), String(reject.row), String(reject.line), reject.reasons.join('; ')];
}

/** One reject as a CSV line (see rejectFields). */
export function rejectCsvLine(header: readonly string[], reject: RejectDoc, form: LineForm = COMMA_LF): string {
  return csvLine(rejectFields(header, reject), form);
}

/** One reject as a JSON line. */
export function rejectJsonLine(reject: RejectDoc): string {
  const { row, line, reasons, values } = reject;
  return `${JSON.stringify({ row, line, reasons, values })}\n`;
}

/** Whether any of a reject's values was stored in part (longer than the bound kept). */
export function isTruncated(reject: RejectDoc): boolean {
  return '…' in reject.values || Object.values(reject.values).some((v) => TRUNCATED.test(v));
}

/** The load's rejects in row order, streamed (the load_row index serves the sort). */
export function rejectsInRowOrder(store: Store, loadId: string): AsyncIterable<RejectDoc> {
  return store.rejects.find({ loadId }).sort({ row: 1 });
}
