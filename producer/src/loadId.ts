import { randomBytes } from 'node:crypto';
import { InputError } from '@hcingest/shared';

const LOAD_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * By default a load is named by its file's content (the hash of its decompressed bytes), so
 * enqueueing the same file again, or it gzip-compressed or not, resumes the same load; --new-load
 * starts a separate load of it; --load-id names one explicitly. A plain file's content hash is
 * that of its bytes, as before the content was hashed apart.
 */
export function loadIdFor(contentSha256: string, opts: { loadId?: string; newLoad?: boolean }): string {
  if (opts.loadId !== undefined) {
    if (!LOAD_ID.test(opts.loadId)) {
      throw new InputError(`--load-id must be 1-64 letters, digits, "_" or "-", got "${opts.loadId}"`);
    }
    return opts.loadId;
  }
  const base = `L${contentSha256.slice(0, 16)}`;
  return opts.newLoad ? `${base}-${Date.now().toString(36)}${randomBytes(2).toString('hex')}` : base;
}
