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
  /** of the bytes as given */
  sha256: string;
  /** of the decompressed bytes (those of a plain file are its bytes): names the load */
  contentSha256: string;
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
 * First pass over the file: its SHA-256 and a check that it is text in the given encoding, so
 * that a binary or mis-encoded file is refused before anything is enqueued, with the likely cause
 * named. A gzip file is hashed as given and its decompressed text checked (a corrupt or truncated
 * one is refused); offsets are then in that text. The same pass hashes the decompressed text
 * (contentSha256, which names the load: a file and its gzip are one load).
 */
export async function scanFile(
  path: string,
  encoding: FileEncoding = 'utf8',
  readSize = READ_SIZE,
  census?: DelimiterCensus,
): Promise<FileScan> {
  const info = await statRegularFile(path);
  const compression = await detectCompression(path).catch((err: NodeJS.ErrnoException) => {
    throw unreadable(path, err);
  });
  const hash = createHash('sha256');
  // A plain file's text is its bytes: one hash serves for both.
  const content = compression ? createHash('sha256') : undefined;
  const text = new TextCheck(path, encoding, compression);
  const stream = openText(path, compression, readSize, (raw) => hash.update(raw)).on('error', () => undefined);
  try {
    for await (const piece of stream as AsyncIterable<Buffer>) {
      text.push(piece);
      census?.push(piece);
      content?.update(piece);
    }
  } catch (err) {
    if (err instanceof InputError) throw err;
    if (isZlibError(err)) throw corruptGzip(path, err as Error);
    throw unreadable(path, err as NodeJS.ErrnoException);
  } finally {
    stream.destroy();
  }
  text.end();
  census?.end();
  if (text.bytes === 0) throw new InputError(`${path} is empty once decompressed: expected a CSV header and rows`);
  const sha256 = hash.digest('hex');
  return {
    name: basename(path),
    bytes: info.size,
    sha256,
    contentSha256: content?.digest('hex') ?? sha256,
    ...(compression ? { compression } : {}),
  };
}

/** The file's size, once it is known to be a regular file that is not empty. */
async function statRegularFile(path: string): Promise<{ size: number }> {
  const info = await stat(path).catch((err: NodeJS.ErrnoException) => {
    throw unreadable(path, err);
  });
  if (!info.isFile()) throw new InputError(`${path} is not a regular file`);
  if (info.size === 0) throw new InputError(`${path} is empty: expected a CSV header and rows`);
  return info;
}

/** A problem found in a piece of text: where, and the error naming it (made only if reported). */
interface Problem {
  at: number;
  error: () => InputError;
}

/**
 * Checks the file's text piece by piece: not binary, no NUL byte, and text in its encoding. Throws
 * InputError on the first problem in the file.
 */
class TextCheck {
  /** bytes of text checked so far */
  bytes = 0;
  /** Bytes of a UTF-8 sequence cut by the end of the previous piece, validated with the next. */
  private carry: Buffer = Buffer.alloc(0);
  /** Offsets in messages count bytes of the text that was checked. */
  private readonly of: string;

  constructor(
    private readonly path: string,
    private readonly encoding: FileEncoding,
    private readonly compression: Compression | undefined,
  ) {
    this.of = compression ? ' of the decompressed text' : '';
  }

  push(piece: Buffer): void {
    const { path, of } = this;
    if (this.bytes === 0) {
      const notText = sniffNotText(piece);
      if (notText) throw new InputError(`${path} ${this.compression ? 'holds a file that ' : ''}${notText}`);
    }
    // Whichever problem comes first in the file is the one reported.
    const nulAt = piece.indexOf(0);
    const problem = this.encoding === 'utf8' ? this.invalidUtf8(piece) : this.controlByte(piece);
    if (nulAt !== -1 && (!problem || this.bytes + nulAt < problem.at)) {
      throw new InputError(`${path} is not CSV text: NUL byte at offset ${this.bytes + nulAt}${of}`);
    }
    if (problem) throw problem.error();
    this.bytes += piece.length;
  }

  /** The end of the text: a UTF-8 sequence cut short there is invalid. */
  end(): void {
    if (this.carry.length > 0) throw notUtf8(this.path, this.bytes - this.carry.length, this.carry[0]!, this.of);
  }

  private invalidUtf8(piece: Buffer): Problem | undefined {
    const buf = this.carry.length === 0 ? piece : Buffer.concat([this.carry, piece]);
    const cut = completeSequencesEnd(buf);
    let problem: Problem | undefined;
    if (!isUtf8(buf.subarray(0, cut))) {
      const at = firstInvalidUtf8(buf);
      const bad = this.bytes - this.carry.length + at;
      problem = { at: bad, error: () => notUtf8(this.path, bad, buf[at]!, this.of) };
    }
    this.carry = buf.subarray(cut);
    return problem;
  }

  private controlByte(piece: Buffer): Problem | undefined {
    const at = firstControlByte(piece, this.encoding);
    if (at === -1) return undefined;
    const bad = this.bytes + at;
    return {
      at: bad,
      error: () =>
        new InputError(`${this.path}: ${controlByteMessage(piece[at]!, this.encoding)} (byte offset ${bad}${this.of})`),
    };
  }
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
