import { DelayedError, type Job, type Queue } from 'bullmq';
import { CHUNK_JOB_NAME, sleep, type Store } from '@hcingest/shared';
import type { LoadSeqs } from '../loadSeqs.js';

/** How long a chunk held back by a running archive step waits before it looks again. */
export const HOLD_MS = 1000;
/** How often a running archive step looks whether chunks of later loads are still active. */
const ACTIVE_POLL_MS = 250;

/**
 * The mirror load whose archive step runs now and comes before a load of sequence `seq` (its
 * chunks must not write while documents move), or undefined.
 */
export async function archivingBefore(store: Store, seq: number): Promise<string | undefined> {
  const running = await store.loads.findOne(
    { mode: 'mirror', 'archive.stage': 'running', seq: { $lt: seq } },
    { projection: { _id: 1 } },
  );
  return running?._id;
}

/**
 * Before a chunk is processed (the job is active already): when an earlier mirror load's archive
 * step runs, the job goes back to delayed without being processed, using no attempt (throws
 * DelayedError, which BullMQ expects). The archive step marks itself running before it looks at
 * the active jobs, and a chunk is active before it reads this: one of them always sees the other.
 */
export async function holdWhileArchiving(store: Store, seq: number, job: Job, token?: string): Promise<void> {
  if ((await archivingBefore(store, seq)) === undefined) return;
  await job.moveToDelayed(Date.now() + HOLD_MS, token);
  throw new DelayedError();
}

/**
 * Waits until no chunk job of a load later than `seq` is active: those that were taken before
 * the archive step marked itself running finish first; those taken after are held back.
 */
export async function waitForLaterChunks(queue: Queue, loads: LoadSeqs, seq: number): Promise<void> {
  for (;;) {
    const active = await queue.getActive();
    let later = false;
    for (const job of active) {
      if (job.name !== CHUNK_JOB_NAME) continue;
      const loadId = (job.data as { loadId?: unknown } | undefined)?.loadId;
      if (typeof loadId !== 'string') continue;
      const other = await loads.of(loadId).catch(() => undefined);
      if (other !== undefined && other > seq) later = true;
    }
    if (!later) return;
    await sleep(ACTIVE_POLL_MS);
  }
}
