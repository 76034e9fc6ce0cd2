import { chunkJobId } from '../queue/chunkJob.js';
import type { ChunkQueue } from '../queue/chunkQueue.js';
import type { Store } from '../store/collections.js';
import { completedChunks } from './loadStore.js';
import type { LoadReport } from './report.js';

/**
 * Chunks of a fully enqueued load that are neither accounted, nor failed, nor on the queue:
 * lost with Redis data. Nothing would ever process them, so they are named instead of waited for.
 */
export async function findMissingChunks(store: Store, queue: ChunkQueue, report: LoadReport): Promise<number[]> {
  if (report.state !== 'running' || report.chunks.total === null) return [];
  const known = await completedChunks(store, report.loadId);
  for (const f of report.failedChunks) known.add(f.chunk);
  const absent: number[] = [];
  for (let chunk = 0; chunk < report.chunks.total; chunk++) {
    if (!known.has(chunk) && !(await queue.getJob(chunkJobId(report.loadId, chunk)))) absent.push(chunk);
  }
  if (absent.length === 0) return [];
  // A job is removed only after its result is stored: look again for results of the absent ones.
  const after = await completedChunks(store, report.loadId);
  return absent.filter((c) => !after.has(c));
}
