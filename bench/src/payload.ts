#!/usr/bin/env node
/**
 * Chunk payload choice: what the producer costs per row, and what a chunk job weighs in Redis,
 * when it ships raw records (the workers parse) versus fully parsed row objects.
 * Usage: npm run bench:payload -- [--rows N]
 */
import { createReadStream } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import csvParser from 'csv-parser';
import { ChunkStream } from '@hcingest/shared';
import { writeDataset } from '@hcingest/generator';

const rowsArg = process.argv.indexOf('--rows');
const rows = rowsArg > 0 ? Number(process.argv[rowsArg + 1]) : 200_000;
const CHUNK = 1000;

async function rawRecords(path: string): Promise<{ ms: number; bytes: number; chunks: number }> {
  const start = performance.now();
  let bytes = 0;
  let chunks = 0;
  for await (const c of new ChunkStream(path, CHUNK)) {
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

async function parsedObjects(path: string): Promise<{ ms: number; bytes: number; chunks: number }> {
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
    if (batch.length >= CHUNK) ship();
  }
  if (batch.length > 0) ship();
  return { ms: performance.now() - start, bytes, chunks };
}

const dir = mkdtempSync(join(tmpdir(), 'hc-bench-'));
try {
  const file = join(dir, 'bench.csv');
  await writeDataset(file, { rows, seed: 42 });
  const result: Record<string, unknown> = { rows, chunkSize: CHUNK };
  for (const [name, fn] of [
    ['rawRecords', rawRecords],
    ['parsedObjects', parsedObjects],
  ] as const) {
    await fn(file); // warm-up
    const r = await fn(file);
    result[name] = {
      rowsPerSec: Math.round(rows / (r.ms / 1000)),
      kBPerChunk: Math.round(r.bytes / r.chunks / 1024),
    };
  }
  console.log(JSON.stringify(result));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
