import type { JobsOptions } from 'bullmq';
import { isDelimiter, type Delimiter } from '../csv/delimiter.js';
import { isRowFormats, type RowFormats } from '../rules/rowFormats.js';
import { HeaderError, mapHeader } from '../schema/header.js';
import { InvalidChunkJobError } from './chunkErrors.js';

/**
 * A chunk job carries raw CSV records, not parsed rows: the producer only finds record
 * boundaries and the workers parse in parallel (see docs/design.md, "Chunk payload").
 */
export interface ChunkJobData {
  loadId: string;
  /** chunk index in the load, from 0 */
  chunk: number;
  /** data row number of the first record (1-based; header and blank lines not counted) */
  firstRow: number;
  /** the file's header fields, as read */
  header: string[];
  /** physical line number where the first record starts */
  firstLine: number;
  /** records in the chunk: what the worker must find in `text` */
  rows: number;
  /** the chunk's records as the file has them (separators and blank lines between included) */
  text: string;
  /** the file's field delimiter; absent means a comma (jobs enqueued before it existed) */
  delimiter?: Delimiter;
  /** how the file writes amounts and dates; absent means the defaults (jobs enqueued before it existed) */
  formats?: RowFormats;
}

export interface ChunkJobResult {
  rows: number;
  accounted: boolean;
}

export const CHUNK_JOB_NAME = 'chunk';

/** Deterministic job id: the same chunk enqueued twice is one job. */
export function chunkJobId(loadId: string, chunk: number): string {
  return `${loadId}.${chunk}`;
}

/** The load and chunk a job id names (the inverse of chunkJobId), or undefined for another id. */
export function parseChunkJobId(id: string | undefined): { loadId: string; chunk: number } | undefined {
  const m = /^(.+)\.(\d+)$/.exec(id ?? '');
  return m ? { loadId: m[1]!, chunk: Number(m[2]) } : undefined;
}

const isInteger = (v: unknown, min: number): v is number => Number.isSafeInteger(v) && (v as number) >= min;

/**
 * The chunk job a payload holds, checked field by field: what is on the queue may come from an
 * older producer version or from elsewhere. Throws InvalidChunkJobError naming what is wrong
 * (field names only, never values: they may be patient data).
 */
export function readChunkJob(data: unknown): ChunkJobData {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new InvalidChunkJobError('chunk job payload is not an object');
  }
  const d = data as Partial<Record<keyof ChunkJobData | 'lines', unknown>>;
  if (Array.isArray(d.lines) && d.rows === undefined && d.firstLine === undefined) {
    // Jobs from a producer before the byte-range payload carried a `lines` array instead.
    throw new InvalidChunkJobError(
      'chunk job has no rows/firstLine: enqueued by an older producer version; enqueue the file again with --new-load',
    );
  }
  const valid: Record<keyof ChunkJobData, boolean> = {
    loadId: typeof d.loadId === 'string' && d.loadId !== '',
    chunk: isInteger(d.chunk, 0),
    firstRow: isInteger(d.firstRow, 1),
    header: Array.isArray(d.header) && d.header.every((h) => typeof h === 'string'),
    firstLine: isInteger(d.firstLine, 1),
    rows: isInteger(d.rows, 0),
    text: typeof d.text === 'string',
    delimiter: d.delimiter === undefined || isDelimiter(d.delimiter),
    formats: d.formats === undefined || isRowFormats(d.formats),
  };
  const bad = Object.entries(valid).filter(([, ok]) => !ok);
  if (bad.length > 0) throw new InvalidChunkJobError(`chunk job has an invalid ${bad.map(([k]) => k).join(', ')}`);
  const job = d as ChunkJobData;
  try {
    mapHeader(job.header);
  } catch (err) {
    if (err instanceof HeaderError) throw new InvalidChunkJobError(`chunk job header: ${err.message}`);
    throw err;
  }
  const { loadId, chunk, firstRow, header, firstLine, rows, text, delimiter, formats } = job;
  return {
    ...{ loadId, chunk, firstRow, header, firstLine, rows, text },
    ...(delimiter ? { delimiter } : {}),
    ...(formats ? { formats: { decimalComma: formats.decimalComma, dateFormat: formats.dateFormat } } : {}),
  };
}

/** The options of a chunk job: its attempts and backoff (the producer's JOB_ATTEMPTS and JOB_BACKOFF_MS). */
export function chunkJobOptions(config: { JOB_ATTEMPTS: number; JOB_BACKOFF_MS: number }): JobsOptions {
  return {
    attempts: config.JOB_ATTEMPTS,
    backoff: { type: 'exponential', delay: config.JOB_BACKOFF_MS },
    // Results live in MongoDB; completed jobs would only cost Redis memory.
    removeOnComplete: true,
    // Failed jobs stay for inspection and `retry`.
    removeOnFail: false,
  };
}
