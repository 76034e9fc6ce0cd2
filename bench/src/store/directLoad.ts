import pLimit from 'p-limit';
import { ChunkStream, createLogger, createOrResumeLoad, markEnqueued, type Store } from '@hcingest/shared';
import { processChunk } from '@hcingest/worker';

/** Every chunk of `file` through the worker's chunk processor, WORKER_CONCURRENCY at once, as load `loadId`. */
export async function directLoad(store: Store, file: string, loadId: string, concurrency: number, chunkSize: number) {
  const log = createLogger('bench', 'silent');
  await createOrResumeLoad(store, { loadId, file: { name: 'bench.csv', bytes: 0, sha256: loadId }, chunkSize });
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
