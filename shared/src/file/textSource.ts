import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline, Transform, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { InputError } from '../errors/inputError.js';

/** How a file's text is stored: gzip is recognised by its magic bytes, whatever the name. */
export type Compression = 'gzip';

/** The file's compression, from its first two bytes (1f 8b for gzip). */
export async function detectCompression(path: string): Promise<Compression | undefined> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b ? 'gzip' : undefined;
  } finally {
    await handle.close();
  }
}

/**
 * The file's text as a stream: a gzip file is decompressed as it is read (never whole, in
 * memory or on disk). `onRawBytes` sees the file's own bytes (to hash what was given).
 * Errors (a corrupt gzip) surface when the returned stream is read.
 */
export function openText(
  path: string,
  compression: Compression | undefined,
  readSize: number,
  onRawBytes?: (piece: Buffer) => void,
): Readable {
  const raw = createReadStream(path, { highWaterMark: readSize });
  const stages: (Readable | Transform)[] = [raw];
  if (onRawBytes) {
    stages.push(
      new Transform({
        transform(piece: Buffer, _enc, done) {
          onRawBytes(piece);
          done(null, piece);
        },
      }),
    );
  }
  // zlib's smallest output chunk is 64 bytes.
  if (compression === 'gzip') stages.push(createGunzip({ chunkSize: Math.max(64, readSize) }));
  if (stages.length === 1) return raw;
  // The callback keeps a stopped or failed stream from becoming an unhandled error; reading
  // the last stage throws whatever failed.
  pipeline(stages, () => undefined);
  return stages[stages.length - 1]!;
}

/** zlib's errors (Z_DATA_ERROR, Z_BUF_ERROR...) mean the gzip itself is damaged. */
export function isZlibError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('Z_');
}

export function corruptGzip(path: string, err: Error): InputError {
  const why = /unexpected end/i.test(err.message) ? 'it is truncated' : err.message;
  return new InputError(`${path} is gzip-compressed but cannot be decompressed (corrupt or truncated: ${why})`);
}
