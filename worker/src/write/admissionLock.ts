import { randomUUID } from 'node:crypto';
import type { Store } from '@hcingest/shared/store/collections';
import { isDuplicateKey } from '@hcingest/shared/store/errors';

/** A lock older than this is left by a dead worker and may be taken over. */
const LOCK_TTL_MS = 30_000;
const WAIT_MS = 5;
const MAX_WAIT_MS = 100;

/**
 * Runs `fn` while holding a short lock on one admission, so that the read-compare-replace of
 * existing admissions never interleaves for the same document. On MongoDB the filtered replace
 * is already atomic; the lock makes the write path correct on compatible servers that check an
 * update's filter and write in two steps (FerretDB 1.x). It is built on the one primitive every
 * such server makes atomic: inserting into a unique _id. Only the few rows that meet an
 * existing admission pay for it.
 */
export async function withAdmissionLock<T>(store: Store, id: string, fn: () => Promise<T>): Promise<T> {
  const owner = randomUUID();
  for (let wait = WAIT_MS; ; wait = Math.min(wait * 2, MAX_WAIT_MS)) {
    try {
      await store.writeLocks.insertOne({ _id: id, owner, until: new Date(Date.now() + LOCK_TTL_MS) });
      break;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    const held = await store.writeLocks.findOne({ _id: id });
    if (held && held.until.getTime() < Date.now()) {
      await store.writeLocks.deleteOne({ _id: id, owner: held.owner }); // abandoned by a dead worker
      continue;
    }
    await new Promise((r) => setTimeout(r, wait));
  }
  try {
    return await fn();
  } finally {
    await store.writeLocks.deleteOne({ _id: id, owner });
  }
}
