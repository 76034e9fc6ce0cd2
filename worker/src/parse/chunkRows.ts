import { parseEach, splitRecords, type ChunkJobData } from '@hcingest/shared';

/** One record of a chunk, parsed into fields, with where it came from. */
export interface ParsedRow {
  row: number;
  line: number;
  fields: string[];
}

/**
 * Parses a chunk's raw records with csv-parser, keeping row and line numbers. The records are
 * recovered with the same splitter the producer used, so boundaries always agree.
 */
export async function parseChunkRows(
  job: Pick<ChunkJobData, 'text' | 'rows' | 'firstRow' | 'firstLine'>,
): Promise<ParsedRow[]> {
  if (!Number.isInteger(job.rows) || !Number.isInteger(job.firstLine)) {
    // Jobs from a producer before the byte-range payload carried a `lines` array instead.
    throw new Error(
      'chunk job has no rows/firstLine: enqueued by an older producer version; enqueue the file again with --new-load',
    );
  }
  const records = splitRecords(job.text);
  if (records.length !== job.rows) {
    throw new Error(`chunk holds ${records.length} records but the producer counted ${job.rows}`);
  }
  const fields = await parseEach(records.map((r) => r.text));
  return fields.map((f, i) => ({ row: job.firstRow + i, line: job.firstLine + records[i]!.line - 1, fields: f }));
}
