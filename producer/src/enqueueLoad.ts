import {
  InputError,
  completedChunks,
  createOrResumeLoad,
  markEnqueued,
  touchProducer,
  type Logger,
  type LoadDoc,
  chunkJobId,
  chunkJobOptions,
  type ChunkJobData,
  type ChunkQueue,
  type Store,
  retryTransient,
  type Chunk,
  ChunkStream,
  type Delimiter,
  delimiterName,
  type FileEncoding,
  checkFile,
  isSameContent,
  isDefaultFormats,
  rowFormatsOf,
  type RowFormats,
  type ArchiveLimit,
  type LoadMode,
  addArchiveJob,
  DEFAULT_ARCHIVE_LIMIT,
} from '@hcingest/shared';
import { checkFormats } from './formatSniff.js';
import { modeRefusal, recordedReadOptions, resumeRefusal } from './readOptions.js';
import type { ProducerConfig } from './settings.js';
import { JobSender } from './jobSender.js';
import { loadIdFor } from './loadId.js';

export interface EnqueueOptions {
  path: string;
  chunkSize: number;
  loadId?: string;
  newLoad?: boolean;
  encoding?: FileEncoding;
  /** the field delimiter (`--delimiter`); detected from the header when absent */
  delimiter?: Delimiter;
  /**
   * how amounts and dates are written, as given (`--decimal-comma`, `--date-format`): what is not
   * given is the default, and the file is refused when its first rows are all in another format
   */
  formats?: Partial<RowFormats>;
  /** merge (default) or mirror: archive what the collection holds and the file no longer has */
  mode?: LoadMode;
  /** mirror loads: the most the archive step may move without --confirm-archive (default 10 %) */
  maxArchive?: ArchiveLimit;
  /** checked between chunks and while paused: when true, stop and leave a resumable load */
  shouldStop?: () => boolean;
}

export interface EnqueueResult {
  loadId: string;
  resumed: boolean;
  /** a resumed load recorded from other bytes of the same content (the file gzip-compressed or not, or renamed) */
  recordedFrom?: { name: string; compression?: LoadDoc['file']['compression'] };
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

type CheckedFile = Awaited<ReturnType<typeof checkFile>>;

const HEARTBEAT_MS = 5000;
/** chunk jobs sent to Redis before the first is acknowledged */
const PIPELINE = 8;

/**
 * The producer: checks the file, records the load, and streams the file into chunk jobs,
 * pausing while the queue holds QUEUE_MAX_PENDING waiting chunks. On a resumed load, chunks
 * already accounted or still on the queue are skipped: only missing chunks are enqueued.
 */
export async function enqueueLoad(deps: EnqueueDeps, opts: EnqueueOptions): Promise<EnqueueResult> {
  const started = performance.now();
  const load = await recordLoad(deps, opts);
  const sent = await sendChunks(deps, opts, load);
  const result = (): Omit<EnqueueResult, 'complete'> => ({
    loadId: load.loadId,
    resumed: load.resumed,
    ...(load.resumed ? recordedFrom(load) : {}),
    chunksEnqueued: sent.enqueued,
    chunksSkipped: sent.skipped,
    seconds: +((performance.now() - started) / 1000).toFixed(3),
    chunksTotal: sent.stream.chunks,
    rowsRead: sent.stream.rows,
  });
  if (sent.stopped) {
    deps.log.warn(
      { loadId: load.loadId, chunksEnqueued: sent.enqueued },
      'stopped before the end of the file: run enqueue again to resume',
    );
    return { ...result(), complete: false };
  }
  // The archive job follows the last chunk; a resumed load adds it again (the same job id).
  if (load.doc.mode === 'mirror') await addArchiveJob(deps.queue, load.loadId, chunkJobOptions(deps.config));
  await markLoadEnqueued(deps, load.loadId, sent.stream);
  deps.log.info(result(), 'file enqueued');
  return { ...result(), complete: true };
}

type EnqueueDeps = { store: Store; queue: ChunkQueue; config: ProducerConfig; log: Logger };

/** The load as recorded (or found again) before its chunks are sent. */
interface RecordedLoad {
  loadId: string;
  resumed: boolean;
  doc: LoadDoc;
  file: CheckedFile['file'];
  header: CheckedFile['header'];
  encoding: FileEncoding;
  formats: RowFormats;
}

/** Phase 1: checks the file, then records the load or finds the one it resumes. */
async function recordLoad({ store, log }: EnqueueDeps, opts: EnqueueOptions): Promise<RecordedLoad> {
  const encoding = opts.encoding ?? 'utf8';
  const formats = rowFormatsOf(opts.formats);
  const { file, header } = await checkFile(opts.path, encoding, opts.delimiter);
  await checkFormats(opts.path, encoding, header, { compression: file.compression, given: opts.formats ?? {} });
  const { delimiter } = header;
  if (header.map.extras.length > 0) {
    const shown = header.map.extras.slice(0, 10);
    log.warn({ count: header.map.extras.length, columns: shown }, 'extra columns are ignored');
  }
  const loadId = loadIdFor(file.contentSha256, opts);
  const { doc, resumed } = await createOrResumeLoad(store, {
    loadId,
    file,
    header: header.fields,
    delimiter,
    encoding,
    form: header.form,
    formats,
    chunkSize: opts.chunkSize,
    ...(opts.mode === 'mirror'
      ? { mode: opts.mode, archive: { stage: 'pending', limit: opts.maxArchive ?? DEFAULT_ARCHIVE_LIMIT } }
      : {}),
  });
  const load = { loadId, resumed, doc, file, header, encoding, formats };
  checkResumable(load, opts, log);
  log.info(
    {
      loadId,
      resumed,
      bytes: file.bytes,
      chunkSize: doc.chunkSize,
      ...(file.compression ? { compression: file.compression } : {}),
      delimiter: delimiterName(delimiter),
      encoding,
      ...(isDefaultFormats(formats) ? {} : { formats }),
    },
    resumed ? 'resuming load' : 'load recorded',
  );
  return load;
}

/** The file a resumed load was recorded from, when it is not this one as given (same content). */
function recordedFrom({ doc, file }: RecordedLoad): Pick<EnqueueResult, 'recordedFrom'> {
  if (doc.file.sha256 === file.sha256 && doc.file.name === file.name) return {};
  return {
    recordedFrom: { name: doc.file.name, ...(doc.file.compression ? { compression: doc.file.compression } : {}) },
  };
}

/**
 * Refuses a recorded load that this run cannot continue: another file, or the file read another
 * way (delimiter, encoding, formats: one load's chunks must all be split and read alike).
 */
function checkResumable(load: RecordedLoad, opts: EnqueueOptions, log: Logger): void {
  const { loadId, resumed, doc, file, header } = load;
  // The same content gzip-compressed or not is the same load: its decompressed text is the same.
  if (!isSameContent(doc, file)) {
    throw new InputError(`load ${loadId} was recorded for another file (${doc.file.name}, sha256 ${doc.file.sha256})`);
  }
  const given = { delimiter: header.delimiter, encoding: load.encoding, formats: load.formats };
  const refusal = resumed
    ? (resumeRefusal(loadId, recordedReadOptions(doc), given) ?? modeRefusal(loadId, doc.mode, opts.mode))
    : undefined;
  if (refusal !== undefined) throw new InputError(refusal);
  if (resumed && doc.chunkSize !== opts.chunkSize) {
    log.warn({ loadId, chunkSize: doc.chunkSize }, 'resuming with the chunk size the load was started with');
  }
}

interface SentChunks {
  stream: ChunkStream;
  enqueued: number;
  skipped: number;
  stopped: boolean;
}

/** Phase 2: streams the file into chunk jobs, skipping on a resumed load those already done or queued. */
async function sendChunks(
  { store, queue, config, log }: EnqueueDeps,
  opts: EnqueueOptions,
  { loadId, resumed, doc, file, header, encoding, formats }: RecordedLoad,
): Promise<SentChunks> {
  const done = resumed ? await completedChunks(store, loadId) : new Set<number>();
  let skipped = 0;
  let stopped = false;
  const stopNow = () => (stopped ||= opts.shouldStop?.() ?? false);
  const heartbeat = new Heartbeat(store, loadId, log);
  const sender = new JobSender(queue, {
    maxPending: config.QUEUE_MAX_PENDING,
    pipeline: PIPELINE,
    jobOptions: chunkJobOptions(config),
    shouldStop: stopNow,
    onTick: () => heartbeat.beat(),
  });
  const stream = new ChunkStream(opts.path, doc.chunkSize, encoding, file.compression);
  // Absent means a comma: comma jobs stay as they were.
  const jobDelimiter = header.delimiter === ',' ? {} : { delimiter: header.delimiter };
  // Absent means the defaults, likewise.
  const jobFormats = isDefaultFormats(formats) ? {} : { formats };
  for await (const chunk of stream) {
    const jobId = chunkJobId(loadId, chunk.index);
    // A resumed load enqueues only the chunks neither accounted nor still on the queue.
    if (done.has(chunk.index) || (resumed && (await queue.getJob(jobId)))) skipped++;
    else
      await sender.send(jobId, {
        loadId,
        chunk: chunk.index,
        header: header.fields,
        ...jobDelimiter,
        ...jobFormats,
        ...fields(chunk),
      });
    if (stopNow()) break;
  }
  await sender.flush();
  return { stream, enqueued: sender.sent, skipped, stopped };
}

/** Phase 3: the whole file is on the queue: records its chunk and row counts on the load. */
async function markLoadEnqueued({ store, log }: EnqueueDeps, loadId: string, stream: ChunkStream): Promise<void> {
  if (stream.unterminatedQuote) {
    log.warn(
      { loadId, line: stream.lastLine },
      'file ends inside a quoted field: its last row is rejected if malformed',
    );
  }
  const onRetry = (err: unknown, attempt: number) =>
    log.warn({ loadId, attempt, error: (err as Error).message }, 'MongoDB unreachable: retrying');
  await retryTransient(() => markEnqueued(store, loadId, stream.chunks, stream.rows), { attempts: 12, onRetry });
}

/** The job's part that comes from the chunk itself. */
function fields(chunk: Chunk): Pick<ChunkJobData, 'firstRow' | 'firstLine' | 'rows' | 'text'> {
  return { firstRow: chunk.firstRow, firstLine: chunk.firstLine, rows: chunk.rows, text: chunk.text };
}

/**
 * The producer's heartbeat on its load (at most every HEARTBEAT_MS), which tells status and the
 * dashboard that a producer is still at work. A missed beat during a database outage is harmless.
 */
class Heartbeat {
  private last = 0;
  constructor(
    private readonly store: Store,
    private readonly loadId: string,
    private readonly log: Logger,
  ) {}

  async beat(): Promise<void> {
    if (Date.now() - this.last < HEARTBEAT_MS) return;
    this.last = Date.now();
    await touchProducer(this.store, this.loadId).catch((err: unknown) =>
      this.log.warn({ loadId: this.loadId, error: (err as Error).message }, 'could not record producer heartbeat'),
    );
  }
}
