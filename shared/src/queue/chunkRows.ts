import { InvalidChunkJobError } from './chunkErrors.js';
import type { ChunkJobData } from './chunkJob.js';
import { parseEach } from '../csv/parseRecords.js';
import { splitRecords } from '../csv/recordSplitter.js';

/** One record of a chunk, parsed into fields, with where it came from. */
export interface ParsedRow {
  row: number;
  line: number;
  fields: string[];
}

/**
 * Parses a chunk's raw records with csv-parser, keeping row and line numbers. The records are
 * recovered with the same splitter the producer used, so boundaries always agree. The job's
 * fields are assumed checked (readChunkJob); a record count that disagrees throws
 * InvalidChunkJobError. Fields are split on the job's delimiter (a comma when it has none).
 */
export async function parseChunkRows(
  job: Pick<ChunkJobData, 'text' | 'rows' | 'firstRow' | 'firstLine' | 'delimiter'>,
): Promise<ParsedRow[]> {
  const records = splitRecords(job.text);
  if (records.length !== job.rows) {
    // The same text splits the same way on every attempt: no retry can mend it.
    throw new InvalidChunkJobError(`chunk holds ${records.length} records but the producer counted ${job.rows}`);
  }
  const fields = await parseEach(
    records.map((r) => r.text),
    job.delimiter,
  );
  return fields.map((f, i) => ({ row: job.firstRow + i, line: job.firstLine + records[i]!.line - 1, fields: f }));
}
