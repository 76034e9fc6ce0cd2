import {
  accountChunk,
  ZERO_COUNTS,
  type Counts,
  type Logger,
  type ChunkJobData,
  admissionId,
  contentHash,
  REASONS,
  normalizedColumns,
  validateRow,
  rowVersion,
  COLUMNS,
  type Column,
  type RawRow,
  fitsHeader,
  mapHeader,
  type Store,
  rejectValues,
  type RejectDoc,
  parseChunkRows,
  rowFormatsOf,
} from '@hcingest/shared';
import { LoadSeqs } from './loadSeqs.js';
import { recordMirrorRows } from './write/mirrorRows.js';
import { writeRejects } from './write/rejectWriter.js';
import { writeVersioned, type VersionedRow } from './write/versionedWriter.js';

export interface ChunkOutcome {
  counts: Counts;
  /** false when the chunk had been accounted before (a duplicate delivery) */
  accounted: boolean;
}

/**
 * One chunk, top-down: parse -> validate -> rejects -> versioned write -> (mirror loads: the
 * admissions it contains) -> account.
 * Every step is idempotent, so a chunk may be processed any number of times.
 */
export async function processChunk(
  store: Store,
  job: ChunkJobData,
  log: Logger,
  loads: LoadSeqs = new LoadSeqs(store),
): Promise<ChunkOutcome> {
  const { seq: loadSeq, mirror } = await loads.info(job.loadId);
  const header = mapHeader(job.header);
  const formats = rowFormatsOf(job.formats);
  const parsed = await parseChunkRows(job);

  const rejects: RejectDoc[] = [];
  const valid: VersionedRow[] = [];
  const at = new Date();
  const normalized: Partial<Record<Column, number>> = {};
  let normalizedRows = 0;
  for (const { row, line, fields } of parsed) {
    const reject = (reasons: string[]) =>
      rejects.push({
        _id: `${job.loadId}:${row}`,
        loadId: job.loadId,
        row,
        line,
        values: rejectValues(job.header, fields),
        reasons,
        at,
      });
    if (!fitsHeader(fields, header)) {
      reject([REASONS.fieldCount]);
      continue;
    }
    const raw = Object.fromEntries(COLUMNS.map((c, i) => [c, fields[header.indexes[i]!] ?? ''])) as RawRow;
    const result = validateRow(raw, formats);
    if (!result.ok) {
      reject(result.reasons);
      continue;
    }
    const admission = result.admission;
    const changed = normalizedColumns(raw, admission, formats);
    if (changed.length > 0) normalizedRows++;
    for (const column of changed) normalized[column] = (normalized[column] ?? 0) + 1;
    valid.push({
      id: admissionId(admission),
      admission,
      hash: contentHash(admission),
      version: rowVersion(loadSeq, row),
      row,
    });
  }

  await writeRejects(store, rejects);
  const written = await writeVersioned(store, { loadId: job.loadId, chunk: job.chunk, seq: loadSeq }, valid);
  // A mirror load's archive step keeps what its file contains: recorded before the chunk is accounted.
  if (mirror)
    await recordMirrorRows(
      store,
      job.loadId,
      valid.map((r) => r.id),
    );

  const counts: Counts = {
    ...ZERO_COUNTS,
    ...written,
    rows: parsed.length,
    rejected: rejects.length,
    normalized: normalizedRows,
  };
  const accounted = await accountChunk(store, job.loadId, job.chunk, counts, normalized);
  log.debug({ loadId: job.loadId, chunk: job.chunk, ...counts, accounted }, 'chunk processed');
  return { counts, accounted };
}
