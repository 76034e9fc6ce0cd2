import { DelayedError, UnrecoverableError, type Job, type Queue } from 'bullmq';
import {
  SETTLED_ARCHIVE_STAGES,
  readArchiveJob,
  updateArchive,
  type LoadDoc,
  type Logger,
  type Store,
} from '@hcingest/shared';
import type { LoadSeqs } from '../loadSeqs.js';
import { archivePrerequisites } from './archivePrerequisites.js';
import { runArchiveStep } from './archiveStep.js';
import { waitForLaterChunks } from './laterChunkHold.js';

export interface ArchiveDeps {
  store: Store;
  queue: Queue;
  loads: LoadSeqs;
  log: Logger;
  /** ids per store operation (ARCHIVE_BATCH_SIZE) */
  batchSize?: number;
}

/** The longest an archive job waiting for its prerequisites stays delayed before it looks again. */
export const MAX_WAIT_MS = 30_000;
const FIRST_WAIT_MS = 250;

/** Back to delayed for a while growing with each wait (no attempt used): BullMQ's pattern. */
async function waitAgain(job: Job, token: string | undefined): Promise<never> {
  const waits = Number((job.data as { waits?: unknown }).waits ?? 0) || 0;
  await job.updateData({ ...(job.data as object), waits: waits + 1 });
  await job.moveToDelayed(Date.now() + Math.min(MAX_WAIT_MS, FIRST_WAIT_MS * 1.5 ** waits), token);
  throw new DelayedError();
}

/** The mirror load an archive job is about, or undefined when there is nothing (more) to do. */
async function openMirrorLoad({ store, log }: ArchiveDeps, job: Job): Promise<LoadDoc | undefined> {
  const data = readArchiveJob(job.data);
  if (!data) throw new UnrecoverableError('archive job names no load');
  const load = await store.loads.findOne({ _id: data.loadId });
  if (!load || load.mode !== 'mirror' || !load.archive) {
    log.warn({ loadId: data.loadId }, 'archive job of no mirror load: nothing to do');
    return undefined;
  }
  return SETTLED_ARCHIVE_STAGES.includes(load.archive.stage) ? undefined : load;
}

/**
 * The archive job of a mirror load: waits for its prerequisites (delayed), marks the step
 * running, waits for the chunks of later loads already active, then runs the step. Every run
 * starts from what the load records, so a job run again after a crash ends the same way.
 */
export async function runArchiveJob(deps: ArchiveDeps, job: Job, token?: string): Promise<void> {
  const load = await openMirrorLoad(deps, job);
  if (!load) return;
  const { store, log } = deps;
  const ready = await archivePrerequisites(store, load);
  if (ready === 'load-failed') {
    await updateArchive(store, load._id, { stage: 'failed', reason: 'failed chunks: run retry' });
    log.warn({ loadId: load._id }, 'archive step not run: the load has failed chunks');
    return;
  }
  if (ready === 'wait') return waitAgain(job, token);
  // Marked running (a write) before looking at the active chunks (a read): see laterChunkHold.ts.
  const since = Date.now();
  await updateArchive(store, load._id, { stage: 'running', startedAt: load.archive!.startedAt ?? new Date() });
  await waitForLaterChunks(deps.queue, deps.loads, load.seq, since);
  await runArchiveStep(store, { ...load, archive: { ...load.archive!, stage: 'running' } }, log, deps.batchSize);
}

/** An archive job failed for good: its step is marked failed, so later loads' chunks are no longer held. */
export async function recordArchiveFailure(store: Store, log: Logger, job: Job, err: unknown): Promise<void> {
  const state = await job.getState().catch(() => 'unknown');
  const loadId = readArchiveJob(job.data)?.loadId;
  const error = err instanceof Error ? err.message.slice(0, 300) : String(err).slice(0, 300);
  log.warn({ loadId, attempt: job.attemptsMade, error, final: state === 'failed' }, 'archive attempt failed');
  if (state !== 'failed' || !loadId) return;
  await updateArchive(store, loadId, { stage: 'failed', reason: error, finishedAt: new Date() }).catch((e: unknown) =>
    log.error({ loadId, error: String(e).slice(0, 300) }, 'could not record the failed archive step'),
  );
}
