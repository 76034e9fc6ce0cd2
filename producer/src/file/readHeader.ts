import { createReadStream } from 'node:fs';
import { parseRecords } from '@hcingest/shared/csv/parseRecords';
import { RecordSplitter } from '@hcingest/shared/csv/recordSplitter';
import { mapHeader, type HeaderMap } from '@hcingest/shared/schema/header';
import { InputError } from './scanFile.js';

const MAX_HEADER_BYTES = 1 << 20;

/** Reads the first non-blank record and checks it against the schema. */
export async function readHeader(
  path: string,
  encoding: 'utf8' | 'latin1' = 'utf8',
): Promise<{ fields: string[]; map: HeaderMap }> {
  let first: string | undefined;
  const splitter = new RecordSplitter((buf, start, end) => {
    first ??= buf.toString(encoding, start, end);
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
    throw new InputError(`${path}: ${(err as Error).message}`);
  }
}
