/** Per-row outcome counts of a chunk (and, summed, of a load). */
export interface Counts {
  rows: number;
  rejected: number;
  inserted: number;
  updated: number;
  unchanged: number;
  stale: number;
}

export const ZERO_COUNTS: Counts = { rows: 0, rejected: 0, inserted: 0, updated: 0, unchanged: 0, stale: 0 };

export interface FailedChunk {
  error: string;
  attempts: number;
  at: Date;
}

/** The `loads` document: what the producer read and what the workers accounted, chunk by chunk. */
export interface LoadDoc {
  _id: string;
  /** orders loads: a later load's rows win over an earlier load's */
  seq: number;
  file: { name: string; bytes: number; sha256: string };
  chunkSize: number;
  startedAt: Date;
  /** set once the producer has split the whole file */
  chunksTotal: number | null;
  rowsRead: number | null;
  enqueuedAt: Date | null;
  finishedAt: Date | null;
  state: LoadState;
  /** sums over accounted chunks */
  counts: Counts;
  chunksCompleted: number;
  /** per accounted chunk ("c<index>"), its counts: a chunk is accounted at most once */
  done: Record<string, Counts>;
  /** chunks that exhausted their attempts, until a retry completes them */
  failed: Record<string, FailedChunk>;
}

export type LoadState = 'running' | 'completed' | 'failed';

export const chunkKey = (chunk: number) => `c${chunk}`;
