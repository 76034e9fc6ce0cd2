import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { firstInvalidUtf8 } from './utf8.js';

export class InputError extends Error {
  override name = 'InputError';
}

export interface FileScan {
  name: string;
  bytes: number;
  sha256: string;
}

const READ_SIZE = 1 << 20;

/**
 * First pass over the file: its SHA-256 (which names the load) and a check that it is text,
 * so that a binary or mis-encoded file is refused before anything is enqueued.
 */
export async function scanFile(path: string, encoding: 'utf8' | 'latin1' = 'utf8'): Promise<FileScan> {
  const info = await stat(path).catch((err: NodeJS.ErrnoException) => {
    throw new InputError(`cannot read ${path}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
  });
  if (!info.isFile()) throw new InputError(`${path} is not a regular file`);
  if (info.size === 0) throw new InputError(`${path} is empty: expected a CSV header and rows`);

  const hash = createHash('sha256');
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let offset = 0;
  let tail: Uint8Array = new Uint8Array(0);
  for await (const piece of createReadStream(path, { highWaterMark: READ_SIZE }) as AsyncIterable<Buffer>) {
    hash.update(piece);
    if (encoding === 'utf8') {
      try {
        decoder.decode(piece, { stream: true });
      } catch {
        throw notUtf8(path, locate(tail, piece, offset));
      }
    }
    if (piece.includes(0))
      throw new InputError(`${path} is not CSV text: NUL byte at offset ${offset + piece.indexOf(0)}`);
    tail = piece.subarray(Math.max(0, piece.length - 3));
    offset += piece.length;
  }
  try {
    if (encoding === 'utf8') decoder.decode();
  } catch {
    throw notUtf8(path, locate(tail, new Uint8Array(0), offset));
  }
  return { name: basename(path), bytes: info.size, sha256: hash.digest('hex') };
}

function locate(tail: Uint8Array, piece: Uint8Array, pieceOffset: number): number {
  const joined = new Uint8Array(tail.length + piece.length);
  joined.set(tail);
  joined.set(piece, tail.length);
  const at = firstInvalidUtf8(joined, tail.length, true);
  return pieceOffset - tail.length + Math.max(at, 0);
}

function notUtf8(path: string, offset: number): InputError {
  return new InputError(
    `${path} is not valid UTF-8 text: first bad byte sequence at byte offset ${offset} (for a Latin-1 file, pass --encoding latin1)`,
  );
}
