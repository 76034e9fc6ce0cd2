import { getLoad } from '@hcingest/shared/load/loadStore';
import { toReport, type LoadReport } from '@hcingest/shared/load/report';
import type { Store } from '@hcingest/shared/store/collections';

export type ProgressListener = (report: LoadReport) => void;

/** Polls the load report until the load is completed or failed. */
export async function waitForLoad(
  store: Store,
  loadId: string,
  opts: { intervalMs: number; onProgress?: ProgressListener; signal?: AbortSignal },
): Promise<LoadReport> {
  for (;;) {
    const doc = await getLoad(store, loadId);
    if (!doc) throw new Error(`no load ${loadId}`);
    const report = toReport(doc);
    opts.onProgress?.(report);
    if (report.state !== 'running') return report;
    if (opts.signal?.aborted) return report;
    await new Promise((r) => setTimeout(r, opts.intervalMs));
  }
}
