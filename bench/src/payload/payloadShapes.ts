import { createReadStream } from 'node:fs';
import csvParser from 'csv-parser';
import { ChunkStream } from '@hcingest/shared';

/** How long shipping a file took, what its chunk jobs weighed and how many there were. */
export interface Shipped {
  ms: number;
  bytes: number;
  chunks: number;
}

/** Chunk jobs that ship raw records (the workers parse): the project's choice. */
export async function rawRecords(path: string, chunkSize: number): Promise<Shipped> {
  const start = performance.now();
  let bytes = 0;
  let chunks = 0;
  for await (const c of new ChunkStream(path, chunkSize)) {
    bytes += JSON.stringify({
      loadId: 'L0123456789abcdef',
      chunk: c.index,
      firstRow: c.firstRow,
      firstLine: c.firstLine,
      rows: c.rows,
      text: c.text,
    }).length;
    chunks++;
  }
  return { ms: performance.now() - start, bytes, chunks };
}

/** Chunk jobs that ship fully parsed row objects (the producer parses). */
export async function parsedObjects(path: string, chunkSize: number): Promise<Shipped> {
  const start = performance.now();
  let bytes = 0;
  let chunks = 0;
  let batch: Record<string, string>[] = [];
  const ship = () => {
    bytes += JSON.stringify({ loadId: 'L0123456789abcdef', chunk: chunks, rows: batch }).length;
    chunks++;
    batch = [];
  };
  const parser = createReadStream(path).pipe(csvParser());
  for await (const row of parser as AsyncIterable<Record<string, string>>) {
    batch.push(row);
    if (batch.length >= chunkSize) ship();
  }
  if (batch.length > 0) ship();
  return { ms: performance.now() - start, bytes, chunks };
}
