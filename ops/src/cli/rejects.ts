#!/usr/bin/env node
import { createWriteStream, existsSync, renameSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { Option } from 'commander';
import {
  command,
  connectStore,
  delimiterOption,
  encoderFor,
  encodingOption,
  EXIT,
  getLoad,
  InputError,
  runCli,
  type Delimiter,
  type FileEncoding,
  type LoadDoc,
  type RejectDoc,
  type Store,
} from '@hcingest/shared';
import {
  csvLine,
  EXPORT_COLUMNS,
  exportHeader,
  isTruncated,
  rejectFields,
  rejectJsonLine,
  rejectsInRowOrder,
} from '../rejectsExport.js';
import {
  describeForm,
  enqueueCommand,
  exportForm,
  firstUnencodable,
  UTF8_BOM,
  type ExportForm,
} from '../rejectsForm.js';

const program = command('rejects')
  .description(
    "Exports a load's rejected rows in row order, to fix them and load them again: a CSV with the file's " +
      'header plus the columns row, line and reasons (default), or JSON lines. The CSV is written as the ' +
      "load's file was: its delimiter, encoding, line ending and byte order mark. Holds patient data: it is " +
      'written only where you say (stdout, or --out), never to logs.',
  )
  .argument('<loadId>', 'the id printed by enqueue')
  .addOption(new Option('--csv', 'CSV (the default)').conflicts('json'))
  .addOption(new Option('--json', 'JSON lines: {row, line, reasons, values} per reject').conflicts('csv'))
  .addOption(
    new Option('--delimiter <d>', "the CSV's field delimiter: , ; or tab (default: the load's)")
      .argParser(delimiterOption)
      .conflicts('json'),
  )
  .addOption(encodingOption("the CSV's encoding (default: the load's)", null).conflicts('json'))
  .addOption(
    new Option('--bom', "start the CSV with a UTF-8 byte order mark (default: when the load's file had one)").conflicts(
      'json',
    ),
  )
  .addOption(new Option('--no-bom', "no byte order mark, even when the load's file had one").conflicts('json'))
  .option('--out <file>', 'write to this file (created; refused when it exists, unless --force) instead of stdout')
  .option('--force', 'replace the --out file')
  .addHelpText(
    'after',
    '\nThen: fix the rows and load the file as a new load with the command printed on stderr, which gives\n' +
      "the load's options (delimiter, encoding, number and date formats): npm run enqueue -- fixed.csv ...\n" +
      'The row, line and reasons columns may stay (enqueue ignores extra columns with a warning).\n' +
      'A value the chosen --encoding cannot hold is refused (exit 2, nothing written), never replaced.\n' +
      'Exit codes: 0 exported (also when there are none), 1 error, 2 usage or settings refused, 3 no such load.',
  )
  .showHelpAfterError()
  .parse();

const opts = program.opts<{
  json?: boolean;
  out?: string;
  force?: boolean;
  delimiter?: Delimiter;
  encoding?: FileEncoding;
  bom?: boolean;
}>();
const [loadId] = program.args as [string];

async function write(out: Writable, data: string | Buffer): Promise<void> {
  if (!out.write(data)) await once(out, 'drain');
}

/** Refusal of a field the export's encoding cannot hold: names the row and the column, never the value. */
function unencodable(
  header: readonly string[],
  fields: readonly string[],
  at: number,
  where: string,
  form: ExportForm,
) {
  const fromEnd = fields.length - at;
  const column = fromEnd <= EXPORT_COLUMNS.length ? EXPORT_COLUMNS.at(-fromEnd)! : (header[at] ?? `column ${at + 1}`);
  return new InputError(
    `${where}: its ${column} cannot be written in ${form.encoding}, and is never replaced; nothing was written: ` +
      'export with --encoding utf8 (or --json)',
  );
}

/** Before anything is written: every field of the export is one its encoding holds. */
async function checkEncodable(store: Store, header: readonly string[], form: ExportForm): Promise<void> {
  if (form.encoding === 'utf8') return;
  const names = [...header, ...EXPORT_COLUMNS];
  const bad = firstUnencodable(names, form.encoding);
  if (bad !== -1) throw unencodable(names, names, bad, 'the header', form);
  for await (const reject of rejectsInRowOrder(store, loadId)) {
    const fields = rejectFields(header, reject);
    const at = firstUnencodable(fields, form.encoding);
    if (at !== -1) throw unencodable(header, fields, at, `row ${reject.row} (line ${reject.line})`, form);
  }
}

/** One line of the export, in its form and encoding. */
function exportLine(header: readonly string[], reject: RejectDoc, form: ExportForm | undefined): string | Buffer {
  if (!form) return rejectJsonLine(reject);
  const fields = rejectFields(header, reject);
  const bytes = encoderFor(form.encoding)(csvLine(fields, form));
  if (!bytes) {
    const at = firstUnencodable(fields, form.encoding);
    throw unencodable(header, fields, at, `row ${reject.row} (line ${reject.line})`, form);
  }
  return bytes;
}

/** Writes the export (a file under a temporary name, renamed at the end: never half an export). */
async function writeExport(store: Store, header: readonly string[], form: ExportForm | undefined) {
  const tmp = opts.out ? `${opts.out}.${process.pid}.tmp` : undefined;
  const out = tmp ? createWriteStream(tmp, { mode: 0o600 }) : process.stdout;
  let count = 0;
  let truncated = 0;
  try {
    if (form) {
      if (form.bom) await write(out, UTF8_BOM);
      await write(out, encoderFor(form.encoding)(csvLine([...header, ...EXPORT_COLUMNS], form))!);
    }
    for await (const reject of rejectsInRowOrder(store, loadId)) {
      await write(out, exportLine(header, reject, form));
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
  return { count, truncated };
}

/** What was written, and how to send the mended rows back (on stderr: stdout may be the export). */
function printSummary(load: LoadDoc, form: ExportForm | undefined, count: number, truncated: number): void {
  if (truncated > 0)
    process.stderr.write(
      `rejects: ${truncated} rejected row(s) were stored in part (a field over 2,000 characters, or over 100 fields): ` +
        'take them from the original file\n',
    );
  const how = form ? ` (${describeForm(form)})` : '';
  if (opts.out)
    process.stderr.write(`rejects: ${count} rejected row(s) of load ${loadId} written to ${opts.out}${how}\n`);
  if (form && count > 0)
    process.stderr.write(
      `rejects: mend them, then load them with the options load ${loadId} was read with:\n` +
        `  ${enqueueCommand(opts.out, load, form)}\n`,
    );
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
    const form = opts.json ? undefined : exportForm(load, opts);
    const first = await store.rejects.findOne({ loadId }, { sort: { row: 1 } });
    const header = exportHeader(load, first);
    if (form) await checkEncodable(store, header, form);
    const { count, truncated } = await writeExport(store, header, form);
    log.info({ loadId, rejects: count, truncated }, 'rejects exported');
    printSummary(load, form, count, truncated);
    return EXIT.ok;
  } finally {
    await store.client.close().catch(() => undefined);
  }
});
