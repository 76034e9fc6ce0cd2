#!/usr/bin/env node
import { Command, InvalidArgumentError } from 'commander';
import { writeDataset } from '../generate/writeDataset.js';

function nonNegativeInt(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('must be a non-negative integer');
  return Number(value);
}

const program = new Command('data:generate')
  .description(
    "Writes a deterministic synthetic admissions CSV with the seed's 15 columns: quoted hospital names " +
      'with commas, messy name casing, ~1% exact duplicates, ~1.5% later corrections of earlier admissions, ' +
      '~3% invalid rows (every rejection reason), a few blank lines and quoted newlines.',
  )
  .option('--rows <n>', 'data rows to write', nonNegativeInt, 55_500)
  .option('--seed <s>', 'random seed: the same seed writes the same file', nonNegativeInt, 1)
  .option('--out <file>', 'output CSV', 'data/healthcare_dataset.csv')
  .option('--expect <file>', 'also write the expected outcome (documents, rejects by reason, counts) as JSON')
  .option('--crlf', 'end lines with CRLF instead of LF')
  .showHelpAfterError()
  .parse();

const o = program.opts<{ rows: number; seed: number; out: string; expect?: string; crlf?: boolean }>();
const expected = await writeDataset(o.out, { rows: o.rows, seed: o.seed, crlf: o.crlf }, o.expect);
const { docs: _docs, rejects: _rejects, ...summary } = expected;
process.stderr.write(`wrote ${o.out}: ${JSON.stringify(summary)}\n`);
