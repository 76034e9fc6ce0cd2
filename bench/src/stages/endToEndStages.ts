import type { BenchContext } from '../context.js';
import type { Distribution } from '../measure/distribution.js';
import { runsStage } from '../options.js';
import { endToEnd, type EndToEndMeasure } from './endToEnd.js';

/** A first load or a reload with a number of workers. */
export interface WorkersMeasure {
  workers: number;
  rowsPerSec: number;
  chunkMs: Distribution;
}

/** endToEnd and reload by worker count, and every first load's rate. */
export interface EndToEndMeasures {
  e2e: WorkersMeasure[];
  reloads: WorkersMeasure[];
  firstLoads: number[];
}

/** The best first load of `repeat` attempts with `n` workers, with the best reload among them. */
async function bestAttempt(ctx: BenchContext, n: number, reload: boolean): Promise<EndToEndMeasure> {
  const attempts: EndToEndMeasure[] = [];
  for (let a = 1; a <= ctx.options.repeat; a++)
    attempts.push(await endToEnd(ctx, ctx.envFor(`e2e${n}_${a}`), n, reload));
  const pick = (f: (r: EndToEndMeasure) => number) => attempts.reduce((x, y) => (f(y) > f(x) ? y : x));
  const first = pick((r) => r.rowsPerSec);
  const again = pick((r) => r.reloadRowsPerSec ?? 0);
  return { ...first, reloadRowsPerSec: again.reloadRowsPerSec, reloadChunkMs: again.reloadChunkMs };
}

/** endToEnd (and reload) for each worker count, the best of `repeat` attempts each. */
export async function endToEndStages(ctx: BenchContext): Promise<EndToEndMeasures> {
  const runsE2e = runsStage(ctx.options, 'endToEnd');
  const runsReload = runsStage(ctx.options, 'reload');
  if (!runsE2e && !runsReload) return { e2e: [], reloads: [], firstLoads: [] };
  const out: EndToEndMeasure[] = [];
  for (const n of ctx.options.workerCounts) {
    ctx.say(`endToEnd${runsReload ? ' and reload' : ''} with ${n} worker(s)`);
    out.push(await bestAttempt(ctx, n, runsReload));
  }
  return {
    e2e: runsE2e ? out.map(({ workers, rowsPerSec, chunkMs }) => ({ workers, rowsPerSec, chunkMs })) : [],
    reloads: runsReload
      ? out.map((r) => ({ workers: r.workers, rowsPerSec: r.reloadRowsPerSec!, chunkMs: r.reloadChunkMs! }))
      : [],
    // a reload is measured against the first load of the same run, whether endToEnd was asked or not
    firstLoads: out.map((r) => r.rowsPerSec),
  };
}
