import { createReadStream } from 'node:fs';
import type { Config } from '@hcingest/shared/config';
import { RecordSplitter } from '@hcingest/shared/csv/recordSplitter';
import { completedChunks, createOrResumeLoad, markEnqueued } from '@hcingest/shared/load/loadStore';
import type { Logger } from '@hcingest/shared/logger';
import { CHUNK_JOB_NAME, chunkJobId, chunkJobOptions, type ChunkJobData } from '@hcingest/shared/queue/chunkJob';
import { pendingJobs, type ChunkQueue } from '@hcingest/shared/queue/chunkQueue';
import type { Store } from '@hcingest/shared/store/collections';
import { ChunkBuilder, type Chunk } from './chunkBuilder.js';
import { readHeader } from './file/readHeader.js';
import { InputError, scanFile } from './file/scanFile.js';
import { loadIdFor } from './loadId.js';

export interface EnqueueOptions {
  path: string;
  chunkSize: number;
  loadId?: string;
  newLoad?: boolean;
  /** checked between chunks: when true, stop and leave a resumable load */
  shouldStop?: () => boolean;
}

export interface EnqueueResult {
  loadId: string;
  resumed: boolean;
  /** false when stopped before the end of the file */
  complete: boolean;
  chunksTotal: number;
  chunksEnqueued: number;
  rowsRead: number;
}

const BACKPRESSURE_POLL_MS = 100;

/**
 * The producer: checks the file, records the load, and streams the file into chunk jobs,
 * pausing while the queue holds more than QUEUE_MAX_PENDING waiting chunks. Chunks already
 * accounted by a previous run of the same load are skipped, so enqueue resumes.
 */
export async function enqueueLoad(
  deps: { store: Store; queue: ChunkQueue; config: Config; log: Logger },
  opts: EnqueueOptions,
): Promise<EnqueueResult> {
  const { store, queue, config, log } = deps;
  const file = await scanFile(opts.path);
  const header = await readHeader(opts.path);
  if (header.map.extras.length > 0) {
    log.warn({ columns: header.map.extras }, 'extra columns are ignored');
  }
  const loadId = loadIdFor(file.sha256, opts);
  const { doc, resumed } = await createOrResumeLoad(store, { loadId, file, chunkSize: opts.chunkSize });
  if (doc.file.sha256 !== file.sha256) {
    throw new InputError(`load ${loadId} was recorded for another file (${doc.file.name}, sha256 ${doc.file.sha256})`);
  }
  if (resumed && doc.chunkSize !== opts.chunkSize) {
    log.warn({ loadId, chunkSize: doc.chunkSize }, 'resuming with the chunk size the load was started with');
  }
  log.info(
    { loadId, resumed, bytes: file.bytes, chunkSize: doc.chunkSize },
    resumed ? 'resuming load' : 'load recorded',
  );

  const done = resumed ? await completedChunks(store, loadId) : new Set<number>();
  const jobOptions = chunkJobOptions(config);
  let enqueued = 0;
  let stopped = false;
  const submit = async (chunk: Chunk) => {
    if (done.has(chunk.index)) return; // accounted by an earlier run
    while ((await pendingJobs(queue)) >= config.QUEUE_MAX_PENDING) {
      await new Promise((r) => setTimeout(r, BACKPRESSURE_POLL_MS));
    }
    const data: ChunkJobData = {
      loadId,
      chunk: chunk.index,
      firstRow: chunk.firstRow,
      header: header.fields,
      text: chunk.text,
      lines: chunk.lines,
    };
    await queue.add(CHUNK_JOB_NAME, data, { ...jobOptions, jobId: chunkJobId(loadId, chunk.index) });
    enqueued++;
  };

  const builder = new ChunkBuilder(doc.chunkSize);
  let isHeader = true;
  const splitter = new RecordSplitter((bytes, line) => {
    if (isHeader) isHeader = false;
    else builder.add(bytes, line);
  });
  for await (const piece of createReadStream(opts.path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    splitter.push(piece);
    for (const chunk of builder.takeFull()) {
      await submit(chunk);
      if (opts.shouldStop?.()) stopped = true;
      if (stopped) break;
    }
    if (stopped) break;
  }
  if (stopped) {
    log.warn({ loadId, chunksEnqueued: enqueued }, 'stopped before the end of the file: run enqueue again to resume');
    return {
      loadId,
      resumed,
      complete: false,
      chunksTotal: builder.chunks,
      chunksEnqueued: enqueued,
      rowsRead: builder.rows,
    };
  }
  splitter.end();
  for (const chunk of builder.takeAll()) await submit(chunk);
  if (splitter.unterminatedQuote) {
    log.warn(
      { loadId, line: builder.lastLine },
      'file ends inside a quoted field: its last row is rejected if malformed',
    );
  }
  await markEnqueued(store, loadId, builder.chunks, builder.rows);
  log.info({ loadId, chunksTotal: builder.chunks, chunksEnqueued: enqueued, rowsRead: builder.rows }, 'file enqueued');
  return {
    loadId,
    resumed,
    complete: true,
    chunksTotal: builder.chunks,
    chunksEnqueued: enqueued,
    rowsRead: builder.rows,
  };
}
