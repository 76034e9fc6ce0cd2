import { createReadStream } from 'node:fs';
import csvParser from 'csv-parser';
import { perSec } from '../measure/rates.js';

/** csv-parser alone: rows/s from opening the file to the last row. */
export async function parseOnly(file: string): Promise<number> {
  const t0 = performance.now();
  let n = 0;
  for await (const _row of createReadStream(file).pipe(csvParser()) as AsyncIterable<unknown>) n++;
  return perSec(n, performance.now() - t0);
}
