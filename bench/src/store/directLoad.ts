import pLimit from 'p-limit';
import {
  ChunkStream,
  createLogger,
  createOrResumeLoad,
  DEFAULT_ARCHIVE_LIMIT,
  markEnqueued,
  type LoadMode,
  type Store,
} from '@hcingest/shared';
import { processChunk } from '@hcingest/worker';

/**
 * Every chunk of `file` through the worker's chunk processor, WORKER_CONCURRENCY at once, as load
 * `loadId` (a merge load, or a mirror load whose archive step is left pending).
 */
export async function directLoad(
  store: Store,
  file: string,
  loadId: string,
  concurrency: number,
  chunkSize: number,
  mode: LoadMode = 'merge',
) {
  const log = createLogger('bench', 'silent');
  await createOrResumeLoad(store, {
    loadId,
    file: { name: 'bench.csv', bytes: 0, sha256: loadId },
    chunkSize,
    ...(mode === 'mirror' ? { mode, archive: { stage: 'pending', limit: DEFAULT_ARCHIVE_LIMIT } } : {}),
  });
  const stream = new ChunkStream(file, chunkSize);
  const limit = pLimit(concurrency);
  const pending: Promise<unknown>[] = [];
  for await (const c of stream) {
    const header = stream.header!.split(',');
    const job = {
      loadId,
      chunk: c.index,
      firstRow: c.firstRow,
      firstLine: c.firstLine,
      rows: c.rows,
      header,
      text: c.text,
    };
    pending.push(limit(() => processChunk(store, job, log)));
  }
  await Promise.all(pending);
  await markEnqueued(store, loadId, stream.chunks, stream.rows);
}
