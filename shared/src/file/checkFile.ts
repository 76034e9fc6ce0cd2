import { InputError } from '../errors/inputError.js';
import type { Delimiter } from '../csv/delimiter.js';
import { DelimiterCensus, mixedDelimiterMessage } from './delimiterCensus.js';
import type { FileEncoding } from './encoding.js';
import { readHeader } from './readHeader.js';
import { scanFile, type FileScan } from './scanFile.js';

/**
 * Everything checked of a file before anything of it is written: text in its encoding, a header
 * with the 15 columns in one of the delimiters, and rows in that same delimiter. Throws
 * InputError naming the cause.
 */
export async function checkFile(
  path: string,
  encoding: FileEncoding,
  delimiter?: Delimiter,
): Promise<{ file: FileScan; header: Awaited<ReturnType<typeof readHeader>> }> {
  const census = new DelimiterCensus();
  const file = await scanFile(path, encoding, undefined, census);
  const header = await readHeader(path, encoding, { delimiter, compression: file.compression });
  const other = census.otherThan(header.delimiter);
  if (other) throw new InputError(mixedDelimiterMessage(path, header.delimiter, other));
  return { file, header };
}
