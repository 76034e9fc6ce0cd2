import type { Config } from '../config.js';
import { rejectsByReason } from './rejectSummary.js';
import type { Logger } from '../logger.js';
import type { ChunkQueue } from '../queue/chunkQueue.js';
import type { Store } from '../store/collections.js';
import { printWaitOutcome } from './printOutcome.js';
import { progressPrinter } from './progressPrinter.js';
import { waitForLoad } from './waitForLoad.js';

/** `--wait` of enqueue and status: progress on stderr, then the report; returns the exit code. */
export async function waitAndPrint(
  conn: { store: Store; queue: ChunkQueue },
  loadId: string,
  opts: {
    config: Pick<Config, 'POLL_INTERVAL_MS' | 'MAX_REJECT_RATE'>;
    log: Logger;
    signal: AbortSignal;
    json: boolean;
  },
): Promise<number> {
  const progress = progressPrinter();
  const outcome = await waitForLoad(conn.store, loadId, {
    intervalMs: opts.config.POLL_INTERVAL_MS,
    queue: conn.queue,
    onProgress: progress,
    signal: opts.signal,
    log: opts.log,
  });
  progress.stop();
  const rejects = outcome.report.rejected > 0 && !opts.json ? await rejectsByReason(conn.store, loadId) : [];
  return printWaitOutcome(outcome, { json: opts.json, rejects, maxRejectRate: opts.config.MAX_REJECT_RATE });
}
