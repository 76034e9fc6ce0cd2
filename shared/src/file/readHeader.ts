import { createReadStream } from 'node:fs';
import { InputError } from '../cli/inputError.js';
import { parseRecords } from '../csv/parseRecords.js';
import { RecordSplitter } from '../csv/recordSplitter.js';
import { HeaderError, mapHeader, type HeaderMap } from '../schema/header.js';
import { decoderFor, type FileEncoding } from './encoding.js';

const MAX_HEADER_BYTES = 1 << 20;

/** Reads the first non-blank record and checks it against the schema. */
export async function readHeader(
  path: string,
  encoding: FileEncoding = 'utf8',
): Promise<{ fields: string[]; map: HeaderMap }> {
  const decode = decoderFor(encoding);
  let first: string | undefined;
  const splitter = new RecordSplitter((buf, start, end) => {
    first ??= decode(buf, start, end);
  });
  let read = 0;
  const stream = createReadStream(path, { highWaterMark: 64 * 1024 });
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
  const fields = (await parseRecords(first))[0] ?? [];
  try {
    return { fields, map: mapHeader(fields) };
  } catch (err) {
    if (!(err instanceof HeaderError)) throw err;
    throw new InputError(`${path}: ${err.message}${delimiterHint(fields)}`);
  }
}

/**
 * A header that is one field holding `;` or tabs is a file with another delimiter: say so
 * rather than only listing 15 missing columns.
 */
function delimiterHint(fields: string[]): string {
  if (fields.length !== 1) return '';
  const [only] = fields as [string];
  const found = [
    ['; (semicolon)', (only.match(/;/g) ?? []).length],
    ['tab', (only.match(/\t/g) ?? []).length],
    ['| (pipe)', (only.match(/\|/g) ?? []).length],
  ] as const;
  const best = [...found].sort((a, b) => b[1] - a[1])[0]!;
  return best[1] >= 2 ? `; the header looks ${best[0]}-separated: only comma-separated files are read` : '';
}
