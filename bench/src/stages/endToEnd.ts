import type { BenchContext } from '../context.js';
import { distribution, type Distribution } from '../measure/distribution.js';
import { perSec } from '../measure/rates.js';
import { runProducer } from '../processes/producer.js';
import { startWorkers, stopWorkers } from '../processes/workers.js';
import { dropDatabaseOf, queryIndexesBuilt } from '../store/databases.js';

/** One endToEnd attempt with a number of workers, and its reload when asked. */
export interface EndToEndMeasure {
  workers: number;
  rowsPerSec: number;
  chunkMs: Distribution;
  reloadRowsPerSec: number | null;
  reloadChunkMs: Distribution | null;
}

/**
 * N worker processes, then `enqueue --wait` into an empty collection (endToEnd: until the load
 * completed and its query indexes are built), then the same file again as a new load (reload:
 * every row an existing admission).
 */
export async function endToEnd(
  ctx: Pick<BenchContext, 'children' | 'file' | 'options'>,
  env: NodeJS.ProcessEnv,
  workers: number,
  reload: boolean,
): Promise<EndToEndMeasure> {
  const { children, file } = ctx;
  const { rows } = ctx.options;
  // Each chunk's time, from the workers' "chunk done" log lines: where a slow run lost its time.
  let chunkMs: number[] = [];
  const started = startWorkers(children, env, workers, (ms) => chunkMs.push(ms));
  try {
    await started.ready;
    const t0 = performance.now();
    await runProducer(children, [file, '--wait'], env).done;
    await queryIndexesBuilt(env);
    const first = perSec(rows, performance.now() - t0);
    const firstChunkMs = distribution(chunkMs);
    chunkMs = [];
    let again: number | null = null;
    if (reload) {
      const t1 = performance.now();
      await runProducer(children, [file, '--new-load', '--wait'], env).done;
      again = perSec(rows, performance.now() - t1);
    }
    return {
      workers,
      rowsPerSec: first,
      chunkMs: firstChunkMs,
      reloadRowsPerSec: again,
      reloadChunkMs: reload ? distribution(chunkMs) : null,
    };
  } finally {
    await stopWorkers(started.procs);
    await dropDatabaseOf(env);
  }
}
