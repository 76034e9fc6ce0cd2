import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RESULTS } from '../paths.js';
import { renderChart } from './chart.js';
import type { BenchResult } from './summarize.js';

/** Writes bench/results/bench-<rows>.json, and endToEnd-<rows>.svg when endToEnd ran. */
export function writeResultFiles(result: BenchResult): void {
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, `bench-${result.rows}.json`), `${JSON.stringify(result, null, 2)}\n`);
  if (result.endToEnd.length > 0) writeFileSync(join(RESULTS, `endToEnd-${result.rows}.svg`), renderChart(result));
}
