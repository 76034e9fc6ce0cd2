import { readReport } from '@hcingest/shared/load/loadStore';
import type { LoadReport } from '@hcingest/shared/load/report';
import type { Store } from '@hcingest/shared/store/collections';

export type ProgressListener = (report: LoadReport) => void;

/** Polls the load report until the load is completed or failed. */
export async function waitForLoad(
  store: Store,
  loadId: string,
  opts: { intervalMs: number; onProgress?: ProgressListener; signal?: AbortSignal },
): Promise<LoadReport> {
  for (;;) {
    const report = await readReport(store, loadId);
    if (!report) throw new Error(`no load ${loadId}`);
    opts.onProgress?.(report);
    if (report.state !== 'running') return report;
    if (opts.signal?.aborted) return report;
    await new Promise((r) => setTimeout(r, opts.intervalMs));
  }
}
