import { DelayedError, type Job, type Queue } from 'bullmq';
import { CHUNK_JOB_NAME, sleep, type Store } from '@hcingest/shared';
import type { LoadSeqs } from '../loadSeqs.js';

/** How long a chunk held back by a running archive step waits before it looks again. */
export const HOLD_MS = 1000;
/** How often a running archive step looks whether chunks of later loads are still active. */
const ACTIVE_POLL_MS = 250;
/**
 * The most two hosts' clocks may differ: a chunk job made active (BullMQ's processedOn, the
 * worker's clock) later than this after the step marked itself running has seen it running.
 */
export const CLOCK_MARGIN_MS = 2000;

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
 * Waits until no chunk job of a load later than `seq` that was made active before the step
 * marked itself running (at `since`, read before that write) is still active: those finish
 * first. Those made active after it read the mark and go back to delayed unprocessed; they are
 * not waited for (held chunks come and go in the active list all the time).
 */
export async function waitForLaterChunks(queue: Queue, loads: LoadSeqs, seq: number, since: number): Promise<void> {
  for (;;) {
    const active = await queue.getActive();
    let later = false;
    for (const job of active) {
      if (job.name !== CHUNK_JOB_NAME || (job.processedOn ?? 0) > since + CLOCK_MARGIN_MS) continue;
      const loadId = (job.data as { loadId?: unknown } | undefined)?.loadId;
      if (typeof loadId !== 'string') continue;
      const other = await loads.of(loadId).catch(() => undefined);
      if (other !== undefined && other > seq) later = true;
    }
    if (!later) return;
    await sleep(ACTIVE_POLL_MS);
  }
}
