import type { Delimiter } from '../csv/delimiter.js';
import type { ArchiveState, LoadMode } from './archiveDoc.js';
import type { Compression } from '../file/textSource.js';
import type { FileEncoding } from '../file/encoding.js';
import type { RowFormats } from '../rules/rowFormats.js';
import type { Column } from '../schema/columns.js';

/**
 * Row counts of a chunk (and, summed, of a load): rows = rejected + inserted + updated +
 * unchanged + superseded + stale. A chunk's outcome counts may be negative (a row replacing an
 * earlier row of its load takes that row's outcome back); a load's sums are exact.
 * `normalized` counts the valid rows whose values the cleaning changed (not part of the sum).
 */
export interface Counts {
  rows: number;
  rejected: number;
  inserted: number;
  updated: number;
  unchanged: number;
  superseded: number;
  stale: number;
  normalized: number;
}

export const ZERO_COUNTS: Counts = {
  rows: 0,
  rejected: 0,
  inserted: 0,
  updated: 0,
  unchanged: 0,
  superseded: 0,
  stale: 0,
  normalized: 0,
};

export type LoadState = 'running' | 'completed' | 'failed';

/** The `loads` document: what the producer read. Written by the producer only. */
export interface LoadDoc {
  _id: string;
  /** orders loads: a later load's rows win over an earlier load's */
  seq: number;
  /**
   * the file as given (bytes and sha256 of a gzip file are those of its compressed bytes);
   * contentSha256: of the decompressed bytes, which name the load (absent on loads recorded
   * before: sha256 named them), so a file and its gzip are one load
   */
  file: { name: string; bytes: number; sha256: string; contentSha256?: string; compression?: Compression };
  /** the field delimiter the file was read with (absent on loads recorded before: a comma) */
  delimiter?: Delimiter;
  /** the text encoding the file was read with (absent on loads recorded before: utf8) */
  encoding?: FileEncoding;
  /** how the file writes amounts and dates (absent: the defaults) */
  formats?: RowFormats;
  /** merge (absent: loads recorded before) or mirror: then archive what the file no longer has */
  mode?: LoadMode;
  /** a mirror load's archive step (mirror loads only) */
  archive?: ArchiveState;
  /** the file's form, for writing its rejects back the same way (absent on loads recorded before) */
  form?: { bom: boolean; lineEnding: 'crlf' | 'lf' };
  /** the file's header fields as read (absent on loads recorded before it was kept) */
  header?: string[];
  chunkSize: number;
  startedAt: Date;
  /** set once the producer has split the whole file */
  chunksTotal: number | null;
  rowsRead: number | null;
  enqueuedAt: Date | null;
  /** last sign of life of a producer enqueueing this load (a stale one means it stopped) */
  producerSeenAt?: Date | null;
}

/**
 * `chunk_results`: one document per accounted chunk, inserted once. Its _id makes the
 * accounting exactly-once: a retried or duplicated chunk's insert is refused by the unique
 * _id index (an atomic check, no read-modify-write), and no single hot document serializes the
 * workers.
 */
export interface ChunkResultDoc {
  _id: string;
  loadId: string;
  chunk: number;
  counts: Counts;
  /** valid rows whose value in each column the cleaning changed (see Counts.normalized) */
  normalizedColumns?: Partial<Record<Column, number>>;
  at: Date;
}

/** `chunk_failures`: a chunk that exhausted its attempts (ignored once a result exists). */
export interface ChunkFailureDoc {
  _id: string;
  loadId: string;
  chunk: number;
  error: string;
  attempts: number;
  at: Date;
}

export const chunkDocId = (loadId: string, chunk: number) => `${loadId}.${chunk}`;
