#!/usr/bin/env node
import { InvalidArgumentError } from 'commander';
import { loadEnvFile, createLogger, command, EXIT } from '@hcingest/shared';
import { OutputError } from '../outputFile.js';
import { DEFAULT_OUT, writeDataset } from '../writeDataset.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function nonNegativeInt(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('must be a non-negative integer');
  return Number(value);
}

const program = command('data:generate')
  .description(
    "Writes a deterministic synthetic admissions CSV with the seed's 15 columns: quoted hospital names " +
      'with commas, messy name casing, ~1% exact duplicates, ~1.5% later corrections of earlier admissions, ' +
      '~3% invalid rows (every rejection reason), a few blank lines and quoted newlines.',
  )
  .option('--rows <n>', 'data rows to write', nonNegativeInt, 55_500)
  .option('--seed <s>', 'random seed: the same seed writes the same file', nonNegativeInt, 1)
  .option('--out <file>', 'output CSV (its directory is created only for the default)', DEFAULT_OUT)
  .option('--expect <file>', 'also write the expected outcome (documents, rejects by reason, counts) as JSON')
  .option('--force', 'replace --out and --expect files that already exist (refused otherwise)')
  .option('--crlf', 'end lines with CRLF instead of LF')
  .addHelpText(
    'after',
    `\nThe default name says the file is synthetic: it never takes the place of the real dataset\n` +
      `(healthcare_dataset.csv). Files appear under their names only once complete.\n` +
      'Exit codes: 0 written, 1 error, 2 usage error or output refused (existing file without --force,\n' +
      'a directory, a missing or unwritable directory), 130 interrupted (nothing written).',
  )
  .showHelpAfterError()
  .parse();

const o = program.opts<{
  rows: number;
  seed: number;
  out: string;
  expect?: string;
  force?: boolean;
  crlf?: boolean;
}>();

function fail(message: string, code: number): never {
  process.stderr.write(`data:generate: ${message}\n`);
  process.exit(code);
}

// The one setting this command reads (LOG_LEVEL) may come from .env, as for every command.
try {
  loadEnvFile();
} catch (err) {
  fail((err as Error).message, EXIT.badInput);
}
const level = process.env.LOG_LEVEL || 'info';
if (!LOG_LEVELS.includes(level)) fail(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`, EXIT.badInput);
const log = createLogger('data:generate', level);

const controller = new AbortController();
const stop = () => {
  if (controller.signal.aborted) process.exit(EXIT.interrupted); // a second signal: now
  controller.abort();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

try {
  const expected = await writeDataset(o.out, { rows: o.rows, seed: o.seed, crlf: o.crlf }, o.expect, {
    force: o.force,
    createOutDir: program.getOptionValueSource('out') === 'default',
    signal: controller.signal,
  });
  const { docs: _docs, rejects: _rejects, ...summary } = expected;
  log.info({ file: o.out, expectFile: o.expect, ...summary }, 'dataset written');
} catch (err) {
  if (controller.signal.aborted) fail('interrupted: nothing written', EXIT.interrupted);
  if (err instanceof OutputError) fail(err.message, EXIT.badInput);
  fail(err instanceof Error ? err.message : String(err), EXIT.notCompleted);
}
