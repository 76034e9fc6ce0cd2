import { findMissingChunks } from '../load/missingChunks.js';
import { archiveOpen } from '../load/archiveState.js';
import { readReport } from '../load/loadStore.js';
import type { LoadReport } from '../load/report.js';
import type { Logger } from '../log/logger.js';
import type { ChunkQueue } from '../queue/chunkQueue.js';
import type { Store } from '../store/collections.js';
import { isTransientMongoError } from '../store/retry.js';

export type ProgressListener = (report: LoadReport) => void;

/** Why a wait ended without the load ending: nothing would ever finish it. */
export type Stuck = 'missing-chunks' | 'producer-stopped' | 'interrupted';

export interface WaitOptions {
  intervalMs: number;
  /** to detect chunks lost from Redis; without it, missing chunks are not looked for */
  queue?: ChunkQueue;
  onProgress?: ProgressListener;
  signal?: AbortSignal;
  log?: Logger;
  /** no progress for this long triggers the missing-chunk check */
  idleCheckMs?: number;
  /** a producer silent for this long while the file is not fully enqueued has stopped */
  producerStaleMs?: number;
}

/** Whether a wait is over: the load failed, or completed with its archive step (mirror loads) settled. */
export function loadSettled(report: LoadReport): boolean {
  if (report.state === 'running') return false;
  return report.state !== 'completed' || !archiveOpen(report.archive);
}

/**
 * Polls the load report until the load is completed (a mirror load: and its archive step
 * done, refused or failed) or failed, or until it cannot progress:
 * chunks missing from the queue, or a producer that stopped before the end of the file.
 * Database outages are waited out.
 */
export async function waitForLoad(
  store: Store,
  loadId: string,
  opts: WaitOptions,
): Promise<{ report: LoadReport; stuck: Stuck | null }> {
  const idleCheckMs = opts.idleCheckMs ?? 3000;
  const producerStaleMs = opts.producerStaleMs ?? 30_000;
  let lastProgress = '';
  let lastProgressAt = Date.now();
  let last: LoadReport | null = null;
  for (;;) {
    try {
      const report = await readReport(store, loadId);
      if (!report) throw new Error(`no load ${loadId}`);
      last = report;
      opts.onProgress?.(report);
      if (loadSettled(report)) return { report, stuck: null };
      const progress = `${report.rowsProcessed}/${report.chunks.completed}/${report.chunks.failed}/${report.chunks.total}`;
      if (progress !== lastProgress) {
        lastProgress = progress;
        lastProgressAt = Date.now();
      } else if (Date.now() - lastProgressAt >= idleCheckMs) {
        if (report.chunks.total === null) {
          const seen = report.producerSeenAt ? Date.parse(report.producerSeenAt) : 0;
          if (Date.now() - seen > producerStaleMs) return { report, stuck: 'producer-stopped' };
        } else if (opts.queue) {
          const missing = await findMissingChunks(store, opts.queue, report);
          if (missing.length > 0) return { report: { ...report, missingChunks: missing }, stuck: 'missing-chunks' };
        }
        lastProgressAt = Date.now();
      }
    } catch (err) {
      if (!isTransientMongoError(err)) throw err;
      opts.log?.warn({ loadId, error: (err as Error).message }, 'MongoDB unreachable: still waiting');
    }
    if (opts.signal?.aborted) {
      if (last) return { report: last, stuck: 'interrupted' };
      throw new Error('interrupted');
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs));
  }
}

/** What the operator should do about a stuck wait. */
export function stuckAdvice(stuck: Stuck, report: LoadReport): string {
  switch (stuck) {
    case 'missing-chunks':
      return `chunks ${(report.missingChunks ?? []).join(', ')} of load ${report.loadId} are on no queue (lost from Redis): run enqueue on ${report.file} again to re-queue them`;
    case 'producer-stopped':
      return `the producer of load ${report.loadId} stopped before the end of ${report.file}: run enqueue on the file again to resume`;
    default:
      return `stopped waiting; load ${report.loadId} is still ${report.state}`;
  }
}
