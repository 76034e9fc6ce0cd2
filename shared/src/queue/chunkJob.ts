import type { JobsOptions } from 'bullmq';
import type { Config } from '../config.js';

/**
 * A chunk job carries raw CSV records, not parsed rows: the producer only finds record
 * boundaries and the workers parse in parallel (see README, "Chunk payload").
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

export function chunkJobOptions(config: Config): JobsOptions {
  return {
    attempts: config.JOB_ATTEMPTS,
    backoff: { type: 'exponential', delay: config.JOB_BACKOFF_MS },
    // Results live in MongoDB; completed jobs would only cost Redis memory.
    removeOnComplete: true,
    // Failed jobs stay for inspection and `retry`.
    removeOnFail: false,
  };
}
