import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDataset } from '@hcingest/generator';
import { parsedObjects, rawRecords } from './payloadShapes.js';

/** The chunk size both payloads are measured with. */
const CHUNK = 1000;

/** The producer's rate and the weight of a chunk job, for each payload. */
export type PayloadResult = Record<string, unknown>;

/** Both payloads on one generated file of `rows` rows, each after a warm-up run. */
export async function measurePayload(rows: number): Promise<PayloadResult> {
  const dir = mkdtempSync(join(tmpdir(), 'hc-bench-'));
  try {
    const file = join(dir, 'bench.csv');
    await writeDataset(file, { rows, seed: 42 });
    const result: PayloadResult = { rows, chunkSize: CHUNK };
    for (const [name, fn] of [
      ['rawRecords', rawRecords],
      ['parsedObjects', parsedObjects],
    ] as const) {
      await fn(file, CHUNK); // warm-up
      const r = await fn(file, CHUNK);
      result[name] = {
        rowsPerSec: Math.round(rows / (r.ms / 1000)),
        kBPerChunk: Math.round(r.bytes / r.chunks / 1024),
      };
    }
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
