import type { WaitConfig } from '../config/waitSchema.js';
import { rejectsByReason } from '../load/rejectSummary.js';
import type { Logger } from '../log/logger.js';
import type { ChunkQueue } from '../queue/chunkQueue.js';
import type { Store } from '../store/collections.js';
import { printWaitOutcome, waitOutcomeCode } from './printWaitOutcome.js';
import type { LoadReport } from '../load/report.js';
import { progressPrinter } from './progressPrinter.js';
import { waitForLoad } from './waitForLoad.js';

/**
 * `--wait` of enqueue and status: progress on stderr, then the report; returns the exit code.
 * With `collect`, the JSON report is handed to it instead of printed (a list of loads is printed
 * as one array).
 */
export async function waitAndPrint(
  conn: { store: Store; queue: ChunkQueue },
  loadId: string,
  opts: {
    config: WaitConfig;
    log: Logger;
    signal: AbortSignal;
    json: boolean;
    collect?: (report: LoadReport) => void;
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
  if (opts.json && opts.collect) {
    opts.collect(outcome.report);
    return waitOutcomeCode(outcome, opts.config.MAX_REJECT_RATE);
  }
  const rejects = outcome.report.rejected > 0 && !opts.json ? await rejectsByReason(conn.store, loadId) : [];
  return printWaitOutcome(outcome, { json: opts.json, rejects, maxRejectRate: opts.config.MAX_REJECT_RATE });
}
