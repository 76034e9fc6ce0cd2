import { startNodeProcess } from '@hcingest/devstack';
import type { LoadReport } from '@hcingest/shared';
import { ROOT, SCRIPTS } from '../paths.js';
import type { Children } from '../processes/children.js';
import { startWorkers, stopWorkers } from '../processes/workers.js';

/** One load's rate, and its time from its report (start to finish). */
export interface LoadTime {
  rowsPerSec: number;
  loadMs: number;
}

/** One worker, then `enqueue --wait --json` of the file; the load's time from its report. */
export async function timedLoad(
  children: Children,
  o: { file: string; rows: number; env: NodeJS.ProcessEnv; on: string },
): Promise<LoadTime> {
  const worker = startWorkers(children, o.env, 1, () => undefined);
  try {
    await worker.ready;
    const load = startNodeProcess(SCRIPTS.enqueue, [o.file, '--wait', '--json'], {
      env: { ...process.env, ...o.env },
      cwd: ROOT,
    });
    children.track(load.proc);
    const r = await load.done;
    if (r.code !== 0) throw new Error(`enqueue on ${o.on} exited ${r.code}: ${r.stderr}`);
    const report = JSON.parse(r.stdout) as LoadReport;
    const loadMs = Date.parse(report.finishedAt!) - Date.parse(report.startedAt);
    return { loadMs, rowsPerSec: Math.round(o.rows / (loadMs / 1000)) };
  } finally {
    await stopWorkers(worker.procs);
  }
}
