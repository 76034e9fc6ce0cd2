import {
  admissionId,
  ChunkStream,
  COLUMNS,
  fitsHeader,
  parseChunkRows,
  REASONS,
  validateRow,
  type Admission,
  type Compression,
  type Delimiter,
  type FileEncoding,
  type HeaderMap,
  type RawRow,
  type RowFormats,
} from '@hcingest/shared';

/** One data row of a file as a load would see it: rejected with its reasons, or an admission. */
export type FileRow =
  { row: number; ok: false; reasons: string[] } | { row: number; ok: true; id: string; admission: Admission };

/** Rows read per batch (the producer's default chunk size: the same parsing, the same memory). */
const BATCH_ROWS = 1000;

/**
 * Every data row of the file through the same splitter, parser and rules (in the load's formats)
 * the producer and the workers use, in file order. Streams: memory holds one batch of rows.
 */
export async function* fileRows(
  path: string,
  encoding: FileEncoding,
  header: HeaderMap,
  form: { delimiter: Delimiter; compression?: Compression; formats: RowFormats },
): AsyncGenerator<FileRow> {
  for await (const chunk of new ChunkStream(path, BATCH_ROWS, encoding, form.compression)) {
    for (const { row, fields } of await parseChunkRows({ ...chunk, delimiter: form.delimiter })) {
      if (!fitsHeader(fields, header)) {
        yield { row, ok: false, reasons: [REASONS.fieldCount] };
        continue;
      }
      const raw = Object.fromEntries(COLUMNS.map((c, i) => [c, fields[header.indexes[i]!] ?? ''])) as RawRow;
      const result = validateRow(raw, form.formats);
      if (result.ok) yield { row, ok: true, id: admissionId(result.admission), admission: result.admission };
      else yield { row, ok: false, reasons: result.reasons };
    }
  }
}
