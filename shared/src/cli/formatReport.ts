import { delimiterName } from '../csv/delimiter.js';
import { DEFAULT_FORMATS } from '../rules/rowFormats.js';
import type { ReasonCount } from '../load/rejectSummary.js';
import type { ArchiveReport, LoadReport } from '../load/report.js';
import { describeArchiveLimit } from '../load/archiveLimit.js';

const n = (v: number | null) => (v === null ? '?' : v.toLocaleString('en-US'));

/** Reasons listed in the text report; the rest are summed up in one line. */
const SHOWN_REASONS = 10;

/**
 * The load report for people: one fact per line, the row identity spelled out, then why rows
 * were rejected (reason, rows, first row) and which cleaned values differ from the file.
 */
export function formatReport(r: LoadReport, rejects: readonly ReasonCount[] = []): string {
  const lines = [
    `load       ${r.loadId}  ${r.state.toUpperCase()}`,
    `file       ${r.file} (${n(r.fileBytes)} bytes, ${fileForm(r)}sha256 ${r.sha256.slice(0, 16)}…)`,
    `rows read  ${n(r.rowsRead)} = rejected ${n(r.rejected)} + inserted ${n(r.inserted)} + updated ${n(r.updated)} + unchanged ${n(r.unchanged)} + superseded ${n(r.superseded)} + stale ${n(r.stale)}` +
      (r.rowsRead !== null && r.rowsProcessed !== r.rowsRead ? `  (${n(r.rowsProcessed)} processed so far)` : ''),
  ];
  if (rejects.length > 0) {
    lines.push('rejected   rows  reason (first row)');
    const width = n(rejects[0]!.rows).length;
    for (const g of rejects.slice(0, SHOWN_REASONS)) {
      lines.push(`           ${n(g.rows).padStart(width)}  ${g.reason} (row ${n(g.firstRow)})`);
    }
    if (rejects.length > SHOWN_REASONS) lines.push(`           … ${rejects.length - SHOWN_REASONS} more reasons`);
  }
  const cleaned = Object.entries(r.normalizedColumns)
    .filter(([, rows]) => rows > 0)
    .sort((a, b) => b[1] - a[1]);
  if (r.normalized > 0) {
    lines.push(
      `normalized ${n(r.normalized)} rows stored with cleaned values: ` +
        cleaned.map(([column, rows]) => `${column} ${n(rows)}`).join(', '),
    );
  }
  if (r.archive) lines.push(`archive    ${archiveLine(r.loadId, r.archive)}`);
  lines.push(`chunks     ${n(r.chunks.total)} total, ${n(r.chunks.completed)} completed, ${n(r.chunks.failed)} failed`);
  for (const f of r.failedChunks) lines.push(`  chunk ${f.chunk} failed after ${f.attempts} attempts: ${f.error}`);
  if (r.missingChunks?.length) {
    lines.push(`  MISSING from the queue: chunks ${r.missingChunks.join(', ')} (run enqueue on the file again)`);
  }
  const seconds = r.finishedAt ? (Date.parse(r.finishedAt) - Date.parse(r.startedAt)) / 1000 : null;
  lines.push(
    `started    ${r.startedAt}`,
    `finished   ${r.finishedAt ?? '-'}` +
      (seconds !== null && seconds > 0
        ? `  (${seconds.toFixed(1)} s, ${n(Math.round(r.rowsProcessed / seconds))} rows/s)`
        : ''),
  );
  return lines.join('\n');
}

/** A mirror load's archive step in one line: what it moved, or why it did not. */
export function archiveLine(loadId: string, a: ArchiveReport): string {
  const limit = describeArchiveLimit(a.limit, a.patients ?? undefined);
  switch (a.stage) {
    case 'done':
      return `${n(a.archived)} archived (limit ${a.confirmed ? `${limit}, confirmed` : limit})`;
    case 'refused':
      if (a.wouldArchive === null || a.reason === 'no valid row')
        return `REFUSED: ${a.reason ?? 'refused'}: nothing archived`;
      return (
        `REFUSED: ${n(a.wouldArchive)} would be archived, beyond --max-archive ${limit} ` +
        `(confirm with enqueue --load-id ${loadId} --confirm-archive)`
      );
    case 'failed':
      return `FAILED: ${a.reason ?? 'the archive step failed'} (run retry ${loadId})`;
    default:
      return `${a.stage} (limit ${limit})`;
  }
}

/**
 * How the file was read, when not plain comma-separated UTF-8 text with the default formats:
 * "gzip, ;-separated, windows-1252, decimal comma, dates DD/MM/YYYY, ".
 */
function fileForm(r: LoadReport): string {
  const parts = [
    ...(r.compression ? [r.compression] : []),
    ...(r.delimiter ? [`${delimiterName(r.delimiter)}-separated`] : []),
    ...(r.encoding ? [r.encoding] : []),
    ...(r.formats?.decimalComma ? ['decimal comma'] : []),
    ...(r.formats && r.formats.dateFormat !== DEFAULT_FORMATS.dateFormat ? [`dates ${r.formats.dateFormat}`] : []),
  ];
  return parts.map((p) => `${p}, `).join('');
}

/** One progress line for logs and non-TTY output. */
export function formatProgress(r: LoadReport): string {
  const total = r.rowsRead;
  const pct = total ? ` (${((100 * r.rowsProcessed) / total).toFixed(1)}%)` : '';
  return `load ${r.loadId}: ${n(r.rowsProcessed)}/${total === null ? 'reading…' : n(total)} rows${pct}, chunks ${r.chunks.completed}/${n(r.chunks.total)}, failed ${r.chunks.failed}, ${r.state}`;
}
