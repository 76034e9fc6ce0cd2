import type { LoadDoc, LoadState } from './loadDoc.js';

/** The load report: the contract of `status --json` and `enqueue --wait --json`. */
export interface LoadReport {
  loadId: string;
  state: LoadState;
  file: string;
  fileBytes: number;
  sha256: string;
  rowsRead: number | null;
  rowsProcessed: number;
  rejected: number;
  inserted: number;
  updated: number;
  unchanged: number;
  stale: number;
  chunks: { total: number | null; completed: number; failed: number; pending: number | null };
  failedChunks: { chunk: number; error: string; attempts: number }[];
  startedAt: string;
  enqueuedAt: string | null;
  finishedAt: string | null;
}

/**
 * A load is completed when every chunk is accounted, failed when every chunk is either
 * accounted or failed and some failed, and running otherwise (including while enqueuing).
 */
export function loadState(doc: Pick<LoadDoc, 'chunksTotal' | 'chunksCompleted' | 'failed'>): LoadState {
  if (doc.chunksTotal === null) return 'running';
  const failed = Object.keys(doc.failed ?? {}).length;
  if (doc.chunksCompleted >= doc.chunksTotal) return 'completed';
  if (failed > 0 && doc.chunksCompleted + failed >= doc.chunksTotal) return 'failed';
  return 'running';
}

export function toReport(doc: LoadDoc): LoadReport {
  const failedChunks = Object.entries(doc.failed ?? {})
    .map(([key, f]) => ({ chunk: Number(key.slice(1)), error: f.error, attempts: f.attempts }))
    .sort((a, b) => a.chunk - b.chunk);
  const state = loadState(doc);
  return {
    loadId: doc._id,
    state,
    file: doc.file.name,
    fileBytes: doc.file.bytes,
    sha256: doc.file.sha256,
    rowsRead: doc.rowsRead,
    rowsProcessed: doc.counts.rows,
    rejected: doc.counts.rejected,
    inserted: doc.counts.inserted,
    updated: doc.counts.updated,
    unchanged: doc.counts.unchanged,
    stale: doc.counts.stale,
    chunks: {
      total: doc.chunksTotal,
      completed: doc.chunksCompleted,
      failed: failedChunks.length,
      pending: doc.chunksTotal === null ? null : doc.chunksTotal - doc.chunksCompleted - failedChunks.length,
    },
    failedChunks,
    startedAt: doc.startedAt.toISOString(),
    enqueuedAt: doc.enqueuedAt?.toISOString() ?? null,
    finishedAt: state === 'running' ? null : (doc.finishedAt?.toISOString() ?? null),
  };
}
