import type { DelimiterCensus } from './delimiterCensus.js';
import { InputError } from '../errors/inputError.js';
import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { controlByteMessage, encodingHint, firstControlByte, sniffNotText, type FileEncoding } from './encoding.js';
import { corruptGzip, detectCompression, isZlibError, openText, type Compression } from './textSource.js';
import { firstInvalidUtf8 } from './utf8.js';

export interface FileScan {
  name: string;
  bytes: number;
  sha256: string;
  /** present when the file is compressed: its text was checked decompressed */
  compression?: Compression;
}

const READ_SIZE = 1 << 20;

/** The reason a file cannot be opened, in plain words (no stack, no errno jargon). */
export function unreadable(path: string, err: NodeJS.ErrnoException): InputError {
  const why =
    err.code === 'ENOENT'
      ? 'no such file'
      : err.code === 'EACCES' || err.code === 'EPERM'
        ? 'permission denied (the user running this command may not read it)'
        : err.code === 'EISDIR'
          ? 'it is a directory'
          : err.message;
  return new InputError(`cannot read ${path}: ${why}`);
}

/**
 * First pass over the file: its SHA-256 (which names the load) and a check that it is text in
 * the given encoding, so that a binary or mis-encoded file is refused before anything is
 * enqueued, with the likely cause named. A gzip file is hashed as given and its decompressed
 * text checked (a corrupt or truncated one is refused); offsets are then in that text.
 */
export async function scanFile(
  path: string,
  encoding: FileEncoding = 'utf8',
  readSize = READ_SIZE,
  census?: DelimiterCensus,
): Promise<FileScan> {
  const info = await stat(path).catch((err: NodeJS.ErrnoException) => {
    throw unreadable(path, err);
  });
  if (!info.isFile()) throw new InputError(`${path} is not a regular file`);
  if (info.size === 0) throw new InputError(`${path} is empty: expected a CSV header and rows`);

  const compression = await detectCompression(path).catch((err: NodeJS.ErrnoException) => {
    throw unreadable(path, err);
  });
  // Offsets in messages count bytes of the text that was checked.
  const of = compression ? ' of the decompressed text' : '';
  const hash = createHash('sha256');
  let offset = 0;
  // Bytes of a UTF-8 sequence cut by the end of the previous piece, validated with the next.
  let carry: Buffer = Buffer.alloc(0);
  const stream = openText(path, compression, readSize, (raw) => hash.update(raw)).on('error', () => undefined);
  try {
    for await (const piece of stream as AsyncIterable<Buffer>) {
      if (offset === 0) {
        const notText = sniffNotText(piece);
        if (notText) throw new InputError(`${path} ${compression ? 'holds a file that ' : ''}${notText}`);
      }
      // Whichever problem comes first in the file is the one reported.
      const nulAt = piece.indexOf(0);
      const nul = () => new InputError(`${path} is not CSV text: NUL byte at offset ${offset + nulAt}${of}`);
      let bad = -1;
      let problem: (() => InputError) | undefined;
      if (encoding === 'utf8') {
        const buf = carry.length === 0 ? piece : Buffer.concat([carry, piece]);
        const cut = completeSequencesEnd(buf);
        if (!isUtf8(buf.subarray(0, cut))) {
          const at = firstInvalidUtf8(buf);
          bad = offset - carry.length + at;
          problem = () => notUtf8(path, bad, buf[at]!, of);
        }
        carry = buf.subarray(cut);
      } else {
        const at = firstControlByte(piece, encoding);
        if (at !== -1) {
          bad = offset + at;
          problem = () =>
            new InputError(`${path}: ${controlByteMessage(piece[at]!, encoding)} (byte offset ${bad}${of})`);
        }
      }
      if (nulAt !== -1 && (!problem || offset + nulAt < bad)) throw nul();
      if (problem) throw problem();
      census?.push(piece);
      offset += piece.length;
    }
  } catch (err) {
    if (err instanceof InputError) throw err;
    if (isZlibError(err)) throw corruptGzip(path, err as Error);
    throw unreadable(path, err as NodeJS.ErrnoException);
  } finally {
    stream.destroy();
  }
  if (carry.length > 0) throw notUtf8(path, offset - carry.length, carry[0]!, of);
  census?.end();
  if (offset === 0) throw new InputError(`${path} is empty once decompressed: expected a CSV header and rows`);
  return {
    name: basename(path),
    bytes: info.size,
    sha256: hash.digest('hex'),
    ...(compression ? { compression } : {}),
  };
}

/** End of the last complete UTF-8 sequence: an incomplete multi-byte tail is left out. */
function completeSequencesEnd(buf: Buffer): number {
  for (let back = 1; back <= Math.min(3, buf.length); back++) {
    const b = buf[buf.length - back]!;
    if ((b & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? buf.length - back : buf.length;
  }
  return buf.length;
}

function notUtf8(path: string, offset: number, byte: number, of: string): InputError {
  return new InputError(
    `${path} is not valid UTF-8 text: first bad byte sequence at byte offset ${offset}${of}; ${encodingHint(byte)}`,
  );
}
