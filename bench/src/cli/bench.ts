#!/usr/bin/env node
/**
 * npm run bench -- [--rows N] [--workers 1,2,4] [--quick] [--json]
 *
 * Measures, in one run on the real services and the same generated file: csv-parser alone
 * (parseOnly), the producer alone (enqueue), the project's write path without a queue
 * (directUpsert), the seed's pandas + pymongo approach (seedBaseline), the whole pipeline with
 * N worker processes (endToEnd) and the same file loaded again (reload). Ratios between them
 * are what this machine can tell; each target is printed with its ratio.
 */
import { Command } from 'commander';
import { STAGES, type BenchOptions, type Stage } from '../options.js';
import { run } from '../run.js';

interface Flags {
  rows?: string;
  workers: string;
  quick?: boolean;
  json?: boolean;
  skipBaseline?: boolean;
  only?: string;
  repeat: string;
}

function program(): Command {
  return new Command('bench')
    .description('Measures the pipeline against its ceilings and the seed approach, in one run, on the real services.')
    .option('--rows <n>', 'rows of the generated file (default 200000; --quick 55500)')
    .option('--workers <list>', 'worker process counts for endToEnd', '1,2,4,8')
    .option('--quick', 'a shorter run: 55,500 rows')
    .option('--json', 'print only the result as one JSON document')
    .option('--skip-baseline', 'do not run the Python seed baseline')
    .option(
      '--repeat <n>',
      'run each store-bound measure n times and keep the best (the test store stalls at random)',
      '1',
    )
    .option(
      '--only <stages>',
      `run only these stages (comma-separated: ${STAGES.join(', ')}); the others are reported as null`,
    )
    .showHelpAfterError();
}

/** The options of the command line, checked (a wrong one ends the process with commander's error). */
export function parseBenchOptions(argv: readonly string[] = process.argv): BenchOptions {
  const cmd = program().parse(argv);
  const o = cmd.opts<Flags>();
  const rows = o.rows ? Number(o.rows) : o.quick ? 55_500 : 200_000;
  const workerCounts = o.workers.split(',').map(Number);
  const repeat = Number(o.repeat);
  if ([rows, repeat, ...workerCounts].some((n) => !Number.isInteger(n) || n < 1)) {
    cmd.error('--rows, --workers and --repeat take positive integers');
  }
  const only = o.only?.split(',').map((x) => x.trim());
  const unknown = only?.filter((x) => !(STAGES as readonly string[]).includes(x)) ?? [];
  if (unknown.length > 0) cmd.error(`--only: unknown stage(s) ${unknown.join(', ')}; stages: ${STAGES.join(', ')}`);
  return {
    rows,
    workerCounts,
    repeat,
    json: o.json ?? false,
    skipBaseline: o.skipBaseline ?? false,
    only: only as Stage[] | undefined,
  };
}

await run(parseBenchOptions());
