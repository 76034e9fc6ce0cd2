import { parseEach } from '@hcingest/shared/csv/parseRecords';
import { splitRecords } from '@hcingest/shared/csv/recordSplitter';
import type { ChunkJobData } from '@hcingest/shared/queue/chunkJob';

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
export async function parseChunkRows(job: Pick<ChunkJobData, 'text' | 'lines' | 'firstRow'>): Promise<ParsedRow[]> {
  const records = splitRecords(job.text).map((r) => r.text);
  if (records.length !== job.lines.length) {
    throw new Error(`chunk holds ${records.length} records but ${job.lines.length} line numbers`);
  }
  const fields = await parseEach(records);
  return fields.map((f, i) => ({ row: job.firstRow + i, line: job.lines[i] ?? 0, fields: f }));
}
