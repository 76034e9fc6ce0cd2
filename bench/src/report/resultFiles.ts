import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RESULTS } from '../paths.js';
import { renderChart } from './chart.js';
import type { BenchResult } from './summarize.js';

/** The results file of a run: bench-<rows>.json, or bench-<rows>-<stages>.json for a run of some stages (--only). */
export const resultFileName = (result: Pick<BenchResult, 'rows' | 'only'>) =>
  `bench-${result.rows}${result.only ? `-${result.only.join('+')}` : ''}.json`;

/**
 * Writes the results file, and endToEnd-<rows>.svg when endToEnd ran: a run of some stages
 * leaves the results of a whole run of the same size as they are.
 */
export function writeResultFiles(result: BenchResult): void {
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, resultFileName(result)), `${JSON.stringify(result, null, 2)}\n`);
  if (result.endToEnd.length > 0) writeFileSync(join(RESULTS, `endToEnd-${result.rows}.svg`), renderChart(result));
}
