import { ensureIndexes, ensureQueryIndexes } from '@hcingest/shared';
import { perSec } from '../measure/rates.js';
import { withStore } from '../store/benchStore.js';
import { directLoad } from '../store/directLoad.js';

/** The write path alone: rows/s, and how long the query indexes took to build after the load. */
export interface DirectUpsertMeasure {
  rowsPerSec: number;
  indexMs: number;
}

/**
 * The worker's chunk processor in this process, without a queue, as a first load into an empty
 * collection: from the first chunk to the query indexes built (the workers build them when a
 * first load completes), or with them created before the load (`indexesFirst`).
 */
export function directUpsert(
  file: string,
  rows: number,
  env: NodeJS.ProcessEnv,
  opts: { indexesFirst?: boolean } = {},
): Promise<DirectUpsertMeasure> {
  return withStore(env, 'bench-direct', async (store, config) => {
    await ensureIndexes(store);
    if (opts.indexesFirst) await ensureQueryIndexes(store);
    const t0 = performance.now();
    await directLoad(store, file, 'direct', config.WORKER_CONCURRENCY, config.CHUNK_SIZE);
    const loadedMs = performance.now() - t0;
    await ensureQueryIndexes(store);
    const ms = performance.now() - t0;
    return { rowsPerSec: perSec(rows, ms), indexMs: Math.round(ms - loadedMs) };
  });
}
