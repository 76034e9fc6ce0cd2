import { createReadStream } from 'node:fs';
import {
  type Config,
  RecordSplitter,
  completedChunks,
  createOrResumeLoad,
  markEnqueued,
  touchProducer,
  type Logger,
  CHUNK_JOB_NAME,
  chunkJobId,
  chunkJobOptions,
  type ChunkJobData,
  pendingJobs,
  type ChunkQueue,
  type Store,
  retryTransient,
} from '@hcingest/shared';
import { ChunkBuilder, type Chunk } from './chunkBuilder.js';
import type { FileEncoding } from './file/encoding.js';
import { readHeader } from './file/readHeader.js';
import { InputError } from '@hcingest/shared';
import { scanFile } from './file/scanFile.js';
import { loadIdFor } from './loadId.js';

export interface EnqueueOptions {
  path: string;
  chunkSize: number;
  loadId?: string;
  newLoad?: boolean;
  encoding?: FileEncoding;
  /** checked between chunks and while paused: when true, stop and leave a resumable load */
  shouldStop?: () => boolean;
}

export interface EnqueueResult {
  loadId: string;
  resumed: boolean;
  /** false when stopped before the end of the file */
  complete: boolean;
  chunksTotal: number;
  /** chunk jobs added by this run */
  chunksEnqueued: number;
  /** chunks already accounted, or already on the queue, from an earlier run */
  chunksSkipped: number;
  rowsRead: number;
  /** from opening the file to the last job acknowledged and the load marked enqueued */
  seconds: number;
}

const BACKPRESSURE_POLL_MS = 25;
const HEARTBEAT_MS = 5000;
/** chunk jobs sent to Redis before the first is acknowledged */
const PIPELINE = 8;

/**
 * The producer: checks the file, records the load, and streams the file into chunk jobs,
 * pausing while the queue holds QUEUE_MAX_PENDING waiting chunks. On a resumed load, chunks
 * already accounted or still on the queue are skipped: only missing chunks are enqueued.
 */
export async function enqueueLoad(
  deps: { store: Store; queue: ChunkQueue; config: Config; log: Logger },
  opts: EnqueueOptions,
): Promise<EnqueueResult> {
  const { store, queue, config, log } = deps;
  const encoding = opts.encoding ?? 'utf8';
  const started = performance.now();
  const file = await scanFile(opts.path, encoding);
  const header = await readHeader(opts.path, encoding);
  if (header.map.extras.length > 0) {
    const shown = header.map.extras.slice(0, 10);
    log.warn({ count: header.map.extras.length, columns: shown }, 'extra columns are ignored');
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
  let skipped = 0;
  let stopped = false;
  let lastBeat = 0;
  const beat = async () => {
    if (Date.now() - lastBeat < HEARTBEAT_MS) return;
    lastBeat = Date.now();
    // A missed heartbeat during a database outage is harmless: keep enqueueing.
    await touchProducer(store, loadId).catch((err: unknown) =>
      log.warn({ loadId, error: (err as Error).message }, 'could not record producer heartbeat'),
    );
  };
  const stopNow = () => (stopped ||= opts.shouldStop?.() ?? false);

  // Adds are pipelined (up to PIPELINE in flight on the one Redis connection, which keeps
  // their order) instead of one round trip each; `room` counts the jobs that may still be
  // added before the queue holds QUEUE_MAX_PENDING, so the queue is asked only when it runs out.
  const inFlight: Promise<unknown>[] = [];
  let addError: unknown;
  let room = 0;
  const settle = async (keep: number) => {
    while (inFlight.length > keep) await inFlight.shift();
    if (addError) throw addError;
  };
  const waitForRoom = async (): Promise<boolean> => {
    while (room <= 0) {
      await settle(0);
      room = config.QUEUE_MAX_PENDING - (await pendingJobs(queue));
      if (room > 0) break;
      if (stopNow()) return false;
      await beat();
      await new Promise((r) => setTimeout(r, BACKPRESSURE_POLL_MS));
    }
    return true;
  };
  const submit = async (chunk: Chunk) => {
    const jobId = chunkJobId(loadId, chunk.index);
    if (done.has(chunk.index) || (resumed && (await queue.getJob(jobId)))) {
      skipped++;
      return;
    }
    if (!(await waitForRoom())) return;
    const data: ChunkJobData = {
      loadId,
      chunk: chunk.index,
      firstRow: chunk.firstRow,
      header: header.fields,
      firstLine: chunk.firstLine,
      rows: chunk.rows,
      text: chunk.text,
    };
    room--;
    inFlight.push(
      queue.add(CHUNK_JOB_NAME, data, { ...jobOptions, jobId }).then(
        () => enqueued++,
        (err: unknown) => (addError ??= err),
      ),
    );
    await settle(PIPELINE - 1);
    await beat();
  };

  const builder = new ChunkBuilder(doc.chunkSize, encoding);
  let isHeader = true;
  const splitter = new RecordSplitter((buf, start, end, line) => {
    if (isHeader) isHeader = false;
    else builder.add(buf, start, end, line);
  });
  reading: for await (const piece of createReadStream(opts.path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    splitter.push(piece);
    for (const chunk of builder.takeFull()) {
      await submit(chunk);
      if (stopNow()) break reading;
    }
  }
  await settle(0);
  const result = () => ({
    loadId,
    resumed,
    chunksEnqueued: enqueued,
    chunksSkipped: skipped,
    seconds: +((performance.now() - started) / 1000).toFixed(3),
  });
  if (stopped) {
    log.warn({ loadId, chunksEnqueued: enqueued }, 'stopped before the end of the file: run enqueue again to resume');
    return { ...result(), complete: false, chunksTotal: builder.chunks, rowsRead: builder.rows };
  }
  splitter.end();
  for (const chunk of builder.takeAll()) await submit(chunk);
  await settle(0);
  if (splitter.unterminatedQuote) {
    log.warn(
      { loadId, line: builder.lastLine },
      'file ends inside a quoted field: its last row is rejected if malformed',
    );
  }
  const onRetry = (err: unknown, attempt: number) =>
    log.warn({ loadId, attempt, error: (err as Error).message }, 'MongoDB unreachable: retrying');
  await retryTransient(() => markEnqueued(store, loadId, builder.chunks, builder.rows), { attempts: 12, onRetry });
  log.info({ ...result(), chunksTotal: builder.chunks, rowsRead: builder.rows }, 'file enqueued');
  return { ...result(), complete: true, chunksTotal: builder.chunks, rowsRead: builder.rows };
}
