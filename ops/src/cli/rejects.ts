#!/usr/bin/env node
import { createWriteStream, existsSync, renameSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { Option } from 'commander';
import { command, connectStore, EXIT, getLoad, InputError, runCli } from '@hcingest/shared';
import {
  csvLine,
  EXPORT_COLUMNS,
  exportHeader,
  isTruncated,
  rejectCsvLine,
  rejectJsonLine,
  rejectsInRowOrder,
} from '../rejectsExport.js';

const program = command('rejects')
  .description(
    "Exports a load's rejected rows in row order, to fix them and load them again: a CSV with the file's\n" +
      'header plus the columns row, line and reasons (default), or JSON lines. Holds patient data: it is\n' +
      'written only where you say (stdout, or --out), never to logs.',
  )
  .argument('<loadId>', 'the id printed by enqueue')
  .addOption(new Option('--csv', 'CSV (the default)').conflicts('json'))
  .addOption(new Option('--json', 'JSON lines: {row, line, reasons, values} per reject').conflicts('csv'))
  .option('--out <file>', 'write to this file (created; refused when it exists, unless --force) instead of stdout')
  .option('--force', 'replace the --out file')
  .addHelpText(
    'after',
    '\nThen: fix the rows, drop the row, line and reasons columns (enqueue ignores extra columns with a warning,\n' +
      'so they may stay), and load the file as a new load: npm run enqueue -- fixed.csv --wait.\n' +
      'Exit codes: 0 exported (also when there are none), 1 error, 2 usage or settings refused, 3 no such load.',
  )
  .showHelpAfterError()
  .parse();

const opts = program.opts<{ json?: boolean; out?: string; force?: boolean }>();
const [loadId] = program.args as [string];

async function write(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

await runCli('rejects', async (config, log) => {
  if (opts.out && existsSync(opts.out) && !opts.force)
    throw new InputError(`${opts.out} exists: give another --out, or --force to replace it`);
  // MongoDB only: the rejects are there, and the queue has nothing to say about them.
  const store = await connectStore(config, 'hcingest-rejects');
  try {
    const load = await getLoad(store, loadId);
    if (!load) {
      process.stderr.write(`rejects: no load "${loadId}"\n`);
      return EXIT.notFound;
    }
    const first = await store.rejects.findOne({ loadId }, { sort: { row: 1 } });
    const header = exportHeader(load, first);
    // A file is written under a temporary name and renamed at the end: never half an export.
    const tmp = opts.out ? `${opts.out}.${process.pid}.tmp` : undefined;
    const out = tmp ? createWriteStream(tmp, { mode: 0o600 }) : process.stdout;
    let count = 0;
    let truncated = 0;
    try {
      if (!opts.json) await write(out, csvLine([...header, ...EXPORT_COLUMNS]));
      for await (const reject of rejectsInRowOrder(store, loadId)) {
        await write(out, opts.json ? rejectJsonLine(reject) : rejectCsvLine(header, reject));
        count++;
        if (isTruncated(reject)) truncated++;
      }
      if (tmp) {
        out.end();
        await once(out, 'finish');
        renameSync(tmp, opts.out!);
      }
    } catch (err) {
      if (tmp) rmSync(tmp, { force: true });
      throw err;
    }
    log.info({ loadId, rejects: count, truncated }, 'rejects exported');
    if (truncated > 0)
      process.stderr.write(
        `rejects: ${truncated} rejected row(s) were stored in part (a field over 2,000 characters, or over 100 fields): ` +
          'take them from the original file\n',
      );
    if (opts.out) process.stderr.write(`rejects: ${count} rejected row(s) of load ${loadId} written to ${opts.out}\n`);
    return EXIT.ok;
  } finally {
    await store.client.close().catch(() => undefined);
  }
});
