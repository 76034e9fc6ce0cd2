import type { ChunkFailureDoc, ChunkResultDoc, Counts, LoadDoc, LoadState } from '../store/loadDoc.js';
import { ZERO_COUNTS } from '../store/loadDoc.js';
import type { Column } from '../schema/columns.js';
import type { Delimiter } from '../csv/delimiter.js';
import type { Compression } from '../file/textSource.js';
import type { FileEncoding } from '../file/encoding.js';
import type { ArchiveLimit, ArchiveStage } from '../store/archiveDoc.js';
import { isDefaultFormats, rowFormatsOf, type RowFormats } from '../rules/rowFormats.js';

/** The load report: the contract of `status --json` and `enqueue --wait --json`. */
export interface LoadReport {
  loadId: string;
  state: LoadState;
  file: string;
  fileBytes: number;
  sha256: string;
  /** present when the file was compressed */
  compression?: Compression;
  /** present when the file's delimiter is not a comma */
  delimiter?: Delimiter;
  /** present when the file was read in another encoding than UTF-8 */
  encoding?: FileEncoding;
  /** present when the file's amounts or dates were read in other formats than the defaults */
  formats?: RowFormats;
  /** present for a mirror load (enqueue --mode mirror) */
  mode?: 'mirror';
  /** a mirror load's archive step: documents moved to the archive (not rows), or why not */
  archive?: ArchiveReport;
  rowsRead: number | null;
  rowsProcessed: number;
  rejected: number;
  inserted: number;
  updated: number;
  unchanged: number;
  superseded: number;
  stale: number;
  /** valid rows whose values the cleaning changed, and how many per column */
  normalized: number;
  normalizedColumns: Partial<Record<Column, number>>;
  chunks: { total: number | null; completed: number; failed: number; pending: number | null };
  failedChunks: { chunk: number; error: string; attempts: number }[];
  /** pending chunks that are on no queue (lost from Redis): run enqueue on the file again */
  missingChunks?: number[];
  /** last heartbeat of the producer while enqueuing */
  producerSeenAt: string | null;
  startedAt: string;
  enqueuedAt: string | null;
  finishedAt: string | null;
}

/** A mirror load's archive step, in the report. */
export interface ArchiveReport {
  stage: ArchiveStage;
  /** documents moved by this load (0 until done) */
  archived: number;
  /** what the step found to archive (null before it counted) */
  wouldArchive: number | null;
  limit: ArchiveLimit;
  /** the collection's size when counted, what a share limit is of (null before) */
  patients: number | null;
  confirmed: boolean;
  /** why refused or failed */
  reason: string | null;
}

/** The archive part of a mirror load's report (nothing for a merge load). */
function archiveReport(doc: LoadDoc): Pick<LoadReport, 'mode' | 'archive'> {
  if (doc.mode !== 'mirror' || !doc.archive) return {};
  const a = doc.archive;
  return {
    mode: 'mirror',
    archive: {
      stage: a.stage,
      archived: a.archived ?? 0,
      wouldArchive: a.wouldArchive ?? null,
      limit: a.limit,
      patients: a.patients ?? null,
      confirmed: a.confirmed === true,
      reason: a.reason ?? null,
    },
  };
}

/**
 * A load is completed when every chunk is accounted, failed when every chunk is either
 * accounted or failed and some failed, and running otherwise (including while enqueuing).
 */
export function loadState(chunksTotal: number | null, completed: number, failed: number): LoadState {
  if (chunksTotal === null) return 'running';
  if (completed >= chunksTotal) return 'completed';
  if (failed > 0 && completed + failed >= chunksTotal) return 'failed';
  return 'running';
}

export function sumCounts(results: readonly Pick<ChunkResultDoc, 'counts'>[]): Counts {
  const total = { ...ZERO_COUNTS };
  // (?? 0: results accounted before a count existed lack it)
  for (const { counts } of results) for (const k of Object.keys(total) as (keyof Counts)[]) total[k] += counts[k] ?? 0;
  return total;
}

/** Rows per column whose value the cleaning changed, over the chunk results. */
export function sumNormalizedColumns(
  results: readonly Pick<ChunkResultDoc, 'normalizedColumns'>[],
): Partial<Record<Column, number>> {
  const total: Partial<Record<Column, number>> = {};
  for (const r of results) {
    for (const [column, n] of Object.entries(r.normalizedColumns ?? {}) as [Column, number][]) {
      total[column] = (total[column] ?? 0) + n;
    }
  }
  return total;
}

export function toReport(
  doc: LoadDoc,
  results: readonly ChunkResultDoc[],
  failures: readonly ChunkFailureDoc[],
): LoadReport {
  const done = new Set(results.map((r) => r.chunk));
  const failedChunks = failures
    .filter((f) => !done.has(f.chunk))
    .map((f) => ({ chunk: f.chunk, error: f.error, attempts: f.attempts }))
    .sort((a, b) => a.chunk - b.chunk);
  const counts = sumCounts(results);
  const state = loadState(doc.chunksTotal, done.size, failedChunks.length);
  // Derived, not stamped, so every reader sees the same value: the last event of the load.
  const events = [doc.enqueuedAt, ...results.map((r) => r.at), ...failures.map((f) => f.at)];
  const finishedAt = state === 'running' ? null : latest(events);
  return {
    loadId: doc._id,
    state,
    file: doc.file.name,
    fileBytes: doc.file.bytes,
    sha256: doc.file.sha256,
    ...(doc.file.compression ? { compression: doc.file.compression } : {}),
    ...(doc.delimiter && doc.delimiter !== ',' ? { delimiter: doc.delimiter } : {}),
    ...(doc.encoding && doc.encoding !== 'utf8' ? { encoding: doc.encoding } : {}),
    ...(isDefaultFormats(rowFormatsOf(doc.formats)) ? {} : { formats: rowFormatsOf(doc.formats) }),
    ...archiveReport(doc),
    rowsRead: doc.rowsRead,
    rowsProcessed: counts.rows,
    rejected: counts.rejected,
    inserted: counts.inserted,
    updated: counts.updated,
    unchanged: counts.unchanged,
    superseded: counts.superseded,
    stale: counts.stale,
    normalized: counts.normalized,
    normalizedColumns: sumNormalizedColumns(results),
    chunks: {
      total: doc.chunksTotal,
      completed: done.size,
      failed: failedChunks.length,
      pending: doc.chunksTotal === null ? null : doc.chunksTotal - done.size - failedChunks.length,
    },
    failedChunks,
    producerSeenAt: doc.producerSeenAt?.toISOString() ?? null,
    startedAt: doc.startedAt.toISOString(),
    enqueuedAt: doc.enqueuedAt?.toISOString() ?? null,
    finishedAt: finishedAt?.toISOString() ?? null,
  };
}

function latest(dates: readonly (Date | null)[]): Date | null {
  let max: Date | null = null;
  for (const d of dates) if (d && (max === null || d > max)) max = d;
  return max;
}
