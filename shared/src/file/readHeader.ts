import { InputError } from '../errors/inputError.js';
import { parseRecords } from '../csv/parseRecords.js';
import { RecordSplitter } from '../csv/recordSplitter.js';
import { HeaderError, mapHeader, type HeaderMap } from '../schema/header.js';
import { DELIMITERS, delimiterName, type Delimiter } from '../csv/delimiter.js';
import { decoderFor, type FileEncoding } from './encoding.js';
import { openText, type Compression } from './textSource.js';

const MAX_HEADER_BYTES = 1 << 20;
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** How the file is written, beyond its delimiter and encoding: what its rejects are written back in. */
export interface FileForm {
  /** the file starts with a UTF-8 byte order mark */
  bom: boolean;
  /** the header's line ending (a file of one line without one: lf) */
  lineEnding: 'crlf' | 'lf';
}

export interface HeaderOptions {
  /** the delimiter given (`--delimiter`); detected from the header when absent */
  delimiter?: Delimiter;
  compression?: Compression;
}

/**
 * Reads the first non-blank record and checks it against the schema. Without a delimiter
 * given, the one of `,` `;` tab that splits the header into the 15 columns is the file's. A
 * UTF-8 byte order mark is not part of the first name: the fields come without it, and the
 * form says it was there.
 */
export async function readHeader(
  path: string,
  encoding: FileEncoding = 'utf8',
  opts: HeaderOptions = {},
): Promise<{ fields: string[]; map: HeaderMap; delimiter: Delimiter; form: FileForm }> {
  const { text, form } = await firstRecord(path, encoding, opts.compression);
  const first = form.bom ? text.replace(/^\uFEFF/, '') : text;
  const tried = opts.delimiter ? [opts.delimiter] : DELIMITERS;
  let failure: { fields: string[]; delimiter: Delimiter; error: HeaderError } | undefined;
  for (const delimiter of tried) {
    const fields = (await parseRecords(first, delimiter))[0] ?? [];
    try {
      return { fields, map: mapHeader(fields), delimiter, form };
    } catch (err) {
      if (!(err instanceof HeaderError)) throw err;
      // The comma's complaint is reported unless another delimiter splits the header further.
      if (!failure || fields.length > failure.fields.length) failure = { fields, delimiter, error: err };
    }
  }
  const { fields, delimiter, error } = failure!;
  throw new InputError(`${path}: ${error.message}${delimiterHint(fields, delimiter)}`);
}

async function firstRecord(
  path: string,
  encoding: FileEncoding,
  compression?: Compression,
): Promise<{ text: string; form: FileForm }> {
  const decode = decoderFor(encoding);
  let first: string | undefined;
  let lineEnding: FileForm['lineEnding'] = 'lf';
  let bom = false;
  const splitter = new RecordSplitter((buf, start, end) => {
    if (first !== undefined) return;
    first = decode(buf, start, end);
    // The record's end excludes its terminator: a CR there is a CRLF ending.
    if (buf[end] === 0x0d) lineEnding = 'crlf';
  });
  let read = 0;
  const stream = openText(path, compression, 64 * 1024);
  for await (const piece of stream as AsyncIterable<Buffer>) {
    if (read === 0) bom = startsWithBom(path, piece, encoding);
    splitter.push(piece);
    read += piece.length;
    if (first !== undefined || read > MAX_HEADER_BYTES) break;
  }
  stream.destroy();
  if (first === undefined && read <= MAX_HEADER_BYTES) splitter.end();
  if (first === undefined) {
    throw new InputError(
      read > MAX_HEADER_BYTES
        ? `${path} is not CSV: no header line in the first 1 MB`
        : `${path} holds no header: the file is blank`,
    );
  }
  return { text: first, form: { bom, lineEnding } };
}

/**
 * Whether the text starts with a UTF-8 byte order mark. Only a UTF-8 file has one: read as
 * Windows-1252 or Latin-1, its names and accents would be silently misread (é as Ã©), so such a
 * file is refused.
 */
function startsWithBom(path: string, head: Buffer, encoding: FileEncoding): boolean {
  if (!head.subarray(0, UTF8_BOM.length).equals(UTF8_BOM)) return false;
  if (encoding !== 'utf8')
    throw new InputError(
      `${path} starts with a UTF-8 byte order mark: it is UTF-8 text, not ${encoding}; read it with --encoding utf8 (the default)`,
    );
  return true;
}

/**
 * A header that is one field holding another separator (`|`, or one other than the delimiter
 * given): say so rather than only listing 15 missing columns.
 */
function delimiterHint(fields: string[], used: Delimiter): string {
  if (fields.length !== 1) return '';
  const [only] = fields as [string];
  const found = [
    [',', 'comma'],
    [';', '; (semicolon)'],
    ['\t', 'tab'],
    ['|', '| (pipe)'],
  ]
    .filter(([sep]) => sep !== used)
    .map(([sep, name]) => [sep!, name!, only.split(sep!).length - 1] as const);
  const best = [...found].sort((a, b) => b[2] - a[2])[0]!;
  if (best[2] < 2) return '';
  const advice =
    best[0] === '|'
      ? 'only comma-, semicolon- and tab-separated files are read'
      : `pass --delimiter ${delimiterName(best[0] as Delimiter)}, or leave it out to detect it`;
  return `; the header looks ${best[1]}-separated: ${advice}`;
}
