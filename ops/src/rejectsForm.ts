import {
  delimiterName,
  encoderFor,
  DEFAULT_FORMATS,
  InputError,
  rowFormatsOf,
  type Delimiter,
  type FileEncoding,
  type LoadDoc,
} from '@hcingest/shared';

/** How the records of a CSV are written: its delimiter and line ending. */
export interface LineForm {
  delimiter: Delimiter;
  lineEnding: 'crlf' | 'lf';
}

/** How a reject export is written: as the load's file was, unless told otherwise. */
export interface ExportForm extends LineForm {
  encoding: FileEncoding;
  /** a UTF-8 byte order mark first */
  bom: boolean;
}

/** What the command line says of the form (absent: the load's). */
export interface FormOptions {
  delimiter?: Delimiter;
  encoding?: FileEncoding;
  /** --bom (true), --no-bom (false) */
  bom?: boolean;
}

export const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * The form of a load's export: the delimiter, encoding and line ending its file was read with
 * (loads recorded before: a comma, UTF-8, LF), each option given taking its place. A BOM is
 * written when the file had one, or with --bom; only in UTF-8, the one encoding it marks (a
 * Windows-1252 file that began with one would be read as UTF-8 by the next program).
 */
export function exportForm(load: LoadDoc, given: FormOptions): ExportForm {
  const encoding = given.encoding ?? load.encoding ?? 'utf8';
  if (given.bom && encoding !== 'utf8')
    throw new InputError(`a byte order mark marks UTF-8 text: --bom cannot go with --encoding ${encoding}`);
  return {
    delimiter: given.delimiter ?? load.delimiter ?? ',',
    encoding,
    lineEnding: load.form?.lineEnding ?? 'lf',
    bom: given.bom ?? (encoding === 'utf8' && (load.form?.bom ?? false)),
  };
}

/** The form in words, for the summary line: "; -separated, windows-1252, CRLF, with a BOM". */
export function describeForm(form: ExportForm): string {
  const bom = form.bom ? ', with a BOM' : '';
  return `${delimiterName(form.delimiter)}-separated, ${form.encoding}, ${form.lineEnding.toUpperCase()}${bom}`;
}

/**
 * The position of the first field the encoding cannot carry back (so that enqueue would read
 * another value), or -1 when it can carry them all.
 */
export function firstUnencodable(fields: readonly string[], encoding: FileEncoding): number {
  if (encoding === 'utf8') return -1;
  const encode = encoderFor(encoding);
  return fields.findIndex((f) => encode(f) === undefined);
}

/** A word of a shell command, quoted when the shell would read it otherwise. */
function shellWord(word: string): string {
  return /^[\w./:@%+=,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The enqueue command that loads the exported file (mended) with the options its load was read
 * with: the export's delimiter and encoding, and the formats recorded with the load. Options
 * that are enqueue's defaults are left out.
 */
export function enqueueCommand(file: string | undefined, load: LoadDoc, form: ExportForm): string {
  const args = [file === undefined ? '<file>' : shellWord(file)];
  if (form.delimiter !== ',') args.push('--delimiter', shellWord(delimiterName(form.delimiter)));
  if (form.encoding !== 'utf8') args.push('--encoding', form.encoding);
  const formats = rowFormatsOf(load.formats);
  if (formats.decimalComma) args.push('--decimal-comma');
  if (formats.dateFormat !== DEFAULT_FORMATS.dateFormat) args.push('--date-format', formats.dateFormat);
  return `npm run enqueue -- ${args.join(' ')}`;
}
