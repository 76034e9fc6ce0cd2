import { InputError } from '../errors/inputError.js';
import { parseRecords } from '../csv/parseRecords.js';
import { RecordSplitter } from '../csv/recordSplitter.js';
import { HeaderError, mapHeader, type HeaderMap } from '../schema/header.js';
import { DELIMITERS, delimiterName, type Delimiter } from '../csv/delimiter.js';
import { decoderFor, type FileEncoding } from './encoding.js';
import { openText, type Compression } from './textSource.js';

const MAX_HEADER_BYTES = 1 << 20;

export interface HeaderOptions {
  /** the delimiter given (`--delimiter`); detected from the header when absent */
  delimiter?: Delimiter;
  compression?: Compression;
}

/**
 * Reads the first non-blank record and checks it against the schema. Without a delimiter
 * given, the one of `,` `;` tab that splits the header into the 15 columns is the file's.
 */
export async function readHeader(
  path: string,
  encoding: FileEncoding = 'utf8',
  opts: HeaderOptions = {},
): Promise<{ fields: string[]; map: HeaderMap; delimiter: Delimiter }> {
  const first = await firstRecord(path, encoding, opts.compression);
  const tried = opts.delimiter ? [opts.delimiter] : DELIMITERS;
  let failure: { fields: string[]; delimiter: Delimiter; error: HeaderError } | undefined;
  for (const delimiter of tried) {
    const fields = (await parseRecords(first, delimiter))[0] ?? [];
    try {
      return { fields, map: mapHeader(fields), delimiter };
    } catch (err) {
      if (!(err instanceof HeaderError)) throw err;
      // The comma's complaint is reported unless another delimiter splits the header further.
      if (!failure || fields.length > failure.fields.length) failure = { fields, delimiter, error: err };
    }
  }
  const { fields, delimiter, error } = failure!;
  throw new InputError(`${path}: ${error.message}${delimiterHint(fields, delimiter)}`);
}

async function firstRecord(path: string, encoding: FileEncoding, compression?: Compression): Promise<string> {
  const decode = decoderFor(encoding);
  let first: string | undefined;
  const splitter = new RecordSplitter((buf, start, end) => {
    first ??= decode(buf, start, end);
  });
  let read = 0;
  const stream = openText(path, compression, 64 * 1024);
  for await (const piece of stream as AsyncIterable<Buffer>) {
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
  return first;
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
