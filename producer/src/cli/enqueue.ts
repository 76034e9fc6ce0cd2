#!/usr/bin/env node
import { InvalidArgumentError, Option } from 'commander';
import {
  readReport,
  ensureIndexes,
  waitAndPrint,
  openConnections,
  EXIT,
  rejectRateOption,
  runCli,
  command,
  encodingOption,
  type FileEncoding,
  InputError,
  type LoadReport,
  checkFile,
  worstExitCode,
  type Delimiter,
  delimiterOption,
  type Connections,
  type Logger,
  type DateFormat,
  dateFormatOption,
  decimalCommaOption,
  type ArchiveLimit,
  type LoadMode,
  parseArchiveLimit,
} from '@hcingest/shared';
import { confirmArchive } from '../confirmArchive.js';
import { checkFormats } from '../formatSniff.js';
import { enqueueLoad, type EnqueueResult } from '../enqueueLoad.js';
import { inputFiles } from '../inputFiles.js';
import { enqueueSchema, type ProducerConfig } from '../settings.js';

function positiveInt(value: string): number {
  if (!/^[1-9]\d*$/.test(value)) throw new InvalidArgumentError('must be a positive integer');
  return Number(value);
}

function archiveLimitOption(value: string): ArchiveLimit {
  const limit = parseArchiveLimit(value);
  if (!limit)
    throw new InvalidArgumentError('must be a number of documents (5000) or a percentage of the collection (10%)');
  return limit;
}

const program = command('enqueue')
  .description(
    'Checks a CSV file of admissions, splits it into chunk jobs on the queue and records the load.\n' +
      'Prints the load id. The same file enqueued again is the same load: it resumes, never duplicates.\n' +
      'Several files (or a directory: its *.csv and *.csv.gz files, in name order) are one load each, in the\n' +
      "order given, so a later file's rows win; every file is checked before the first is enqueued.",
  )
  .argument('[file...]', 'CSV files with the 15 admission columns (gzip-compressed too), or directories of them')
  .option('--chunk-size <n>', 'rows per chunk job (default: CHUNK_SIZE, 1000)', positiveInt)
  .option('--load-id <id>', 'name the load explicitly (letters, digits, "_", "-")')
  .option('--new-load', 'start a new load even if this file was loaded before')
  .addOption(encodingOption('file encoding'))
  .option(
    '--delimiter <d>',
    'field delimiter: "," ";" or "tab" (default: detected from the header, the one that splits it into the columns)',
    delimiterOption,
  )
  .addOption(decimalCommaOption())
  .addOption(dateFormatOption())
  .addOption(
    new Option(
      '--mode <mode>',
      'merge: insert and update (default); mirror: the file is a full extract, so the admissions the collection ' +
        'holds and the file no longer has are moved to the archive collection once the load completes',
    ).choices(['merge', 'mirror']),
  )
  .option(
    '--max-archive <n>',
    'mirror: the most the archive step may move, as documents (5000) or a share of the collection (10%, the ' +
      'default); beyond it nothing is archived and --wait exits 6',
    archiveLimitOption,
  )
  .option(
    '--confirm-archive',
    'with --load-id L and no file: run the archive step of mirror load L even beyond its --max-archive',
  )
  .option('--wait', 'wait until every chunk is processed, showing progress; exit 0 only if completed')
  .option(
    '--max-reject-rate <rate>',
    'with --wait: exit 4 when more than this share of the rows is rejected, as 0.05 or 5% (default: MAX_REJECT_RATE, 5%)',
    rejectRateOption,
  )
  .option(
    '--json',
    'print exactly one JSON document on stdout ({loadId, state, rowsRead, chunks..., seconds}, or the report with\n' +
      '--wait; for several files or a directory, an array of them)',
  )
  .addHelpText(
    'after',
    '\nExit codes: 0 enqueued (with --wait: completed), 1 load failed, stuck or error, 2 file, usage or settings\n' +
      'refused, 3 (--confirm-archive) no such load, 4 (with --wait) completed but rejected more than --max-reject-rate\n' +
      'of its rows, 6 (with --wait) a mirror load completed but its archive step was refused, 130 interrupted\n' +
      '(the load is resumable: run the same command again).',
  )
  .showHelpAfterError()
  .parse();

const opts = program.opts<{
  chunkSize?: number;
  loadId?: string;
  newLoad?: boolean;
  encoding: FileEncoding;
  delimiter?: Delimiter;
  decimalComma?: boolean;
  dateFormat?: DateFormat;
  wait?: boolean;
  json?: boolean;
  maxRejectRate?: number;
  mode?: LoadMode;
  maxArchive?: ArchiveLimit;
  confirmArchive?: boolean;
}>();
if (opts.loadId !== undefined && opts.newLoad) program.error('--load-id and --new-load cannot be used together');
if (opts.confirmArchive) {
  if (opts.loadId === undefined) program.error('--confirm-archive needs --load-id: the mirror load to confirm');
  if (program.args.length > 0) program.error('--confirm-archive takes no file: it names the load with --load-id');
} else if (program.args.length === 0) program.error("error: missing required argument 'file'");
if (opts.maxArchive !== undefined && opts.mode !== 'mirror') program.error('--max-archive is for --mode mirror');

await runCli(
  'enqueue',
  async (config, log) => {
    // The files first: a missing or unreadable one is an input error, whether the services run or not.
    const input = opts.confirmArchive ? undefined : await inputFiles(program.args);
    if (input?.many && opts.loadId !== undefined) throw new InputError('--load-id names one load: give one file');
    // A bad file in a list stops the command before anything of any file is written.
    if (input?.many) for (const f of input.files) await checkListed(f);
    const conn = await openConnections(config, 'hcingest-producer');
    const controller = stopOnSignal(log);
    try {
      if (!input) return await confirmAndWait(conn, config, log, opts.loadId!, controller.signal);
      await ensureIndexes(conn.store, config.QUERY_INDEXES);
      const loads = await enqueueFiles(conn, config, log, input.files, controller.signal);
      if (loads.interrupted) {
        printInterrupted(loads.done, loads.interrupted, input.many);
        return EXIT.interrupted;
      }
      if (!opts.wait) {
        await printEnqueued(conn, loads.done, input.many);
        return EXIT.ok;
      }
      return await waitForLoads(conn, config, log, loads.done, { many: input.many, signal: controller.signal });
    } finally {
      await conn.close();
    }
  },
  { schema: enqueueSchema },
);

/** --confirm-archive: re-runs a refused archive step beyond its limit; with --wait, waits for it. */
async function confirmAndWait(
  conn: Connections,
  config: ProducerConfig,
  log: Logger,
  loadId: string,
  signal: AbortSignal,
): Promise<number> {
  const outcome = await confirmArchive({ store: conn.store, queue: conn.queue, config }, loadId);
  if (outcome === 'no-load') {
    process.stderr.write(`enqueue: no load "${loadId}"\n`);
    return EXIT.notFound;
  }
  if (outcome === 'already-done') process.stderr.write(`enqueue: load ${loadId}: its archive step is already done\n`);
  if (!opts.wait) {
    process.stdout.write(opts.json ? `${JSON.stringify({ loadId, archive: outcome })}\n` : `${loadId}\n`);
    return EXIT.ok;
  }
  return waitForLoads(conn, config, log, [{ loadId }], { many: false, signal });
}

/** The formats given on the command line (those not given are absent: the defaults, checked against the file). */
function givenFormats(): { decimalComma?: boolean; dateFormat?: DateFormat } {
  return {
    ...(opts.decimalComma ? { decimalComma: true } : {}),
    ...(opts.dateFormat ? { dateFormat: opts.dateFormat } : {}),
  };
}

/** One file of a list, checked as enqueueLoad checks it before writing anything. */
async function checkListed(path: string): Promise<void> {
  const { file, header } = await checkFile(path, opts.encoding, opts.delimiter);
  await checkFormats(path, opts.encoding, header, { compression: file.compression, given: givenFormats() });
}

/**
 * The first SIGTERM or SIGINT asks the load to stop after the current chunk (the returned
 * controller aborts); a second one exits at once.
 */
function stopOnSignal(log: Logger): AbortController {
  const controller = new AbortController();
  const stop = () => {
    if (controller.signal.aborted) process.exit(EXIT.interrupted); // a second signal: now
    log.warn('stop requested: finishing the current chunk');
    controller.abort();
    // Blocked on an unreachable service, the current chunk may never finish: the load is
    // resumable either way, so do not outlive the request by much.
    setTimeout(() => process.exit(EXIT.interrupted), 10_000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  return controller;
}

/** Enqueues the files one load each, in order, until one is interrupted. */
async function enqueueFiles(
  conn: Connections,
  config: ProducerConfig,
  log: Logger,
  files: string[],
  signal: AbortSignal,
): Promise<{ done: EnqueueResult[]; interrupted?: EnqueueResult }> {
  const done: EnqueueResult[] = [];
  for (const path of files) {
    const result = await enqueueLoad(
      { store: conn.store, queue: conn.queue, config, log },
      {
        path,
        chunkSize: opts.chunkSize ?? config.CHUNK_SIZE,
        loadId: opts.loadId,
        newLoad: opts.newLoad,
        encoding: opts.encoding,
        delimiter: opts.delimiter,
        formats: givenFormats(),
        mode: opts.mode,
        maxArchive: opts.maxArchive,
        shouldStop: () => signal.aborted,
      },
    );
    sayResumed(result);
    if (!result.complete) return { done, interrupted: result };
    done.push(result);
  }
  return { done };
}

/** Interrupted: the load ids so far (the last one resumable), or with --json the interrupted load. */
function printInterrupted(done: EnqueueResult[], result: EnqueueResult, many: boolean): void {
  if (opts.json) {
    const interrupted = { loadId: result.loadId, state: 'running', interrupted: true };
    process.stdout.write(`${JSON.stringify(many ? [interrupted] : interrupted)}\n`);
  } else process.stdout.write(`${[...done, result].map((l) => l.loadId).join('\n')}\n`);
}

/** Without --wait: the load ids, or with --json a summary of each load. */
async function printEnqueued(conn: Connections, loads: EnqueueResult[], many: boolean): Promise<void> {
  const summaries = [];
  for (const { loadId, rowsRead, chunksTotal, chunksEnqueued, chunksSkipped, seconds } of loads) {
    const state = (await readReport(conn.store, loadId))?.state ?? 'running';
    summaries.push({ loadId, state, rowsRead, chunksTotal, chunksEnqueued, chunksSkipped, seconds });
  }
  if (opts.json) process.stdout.write(`${JSON.stringify(many ? summaries : summaries[0])}\n`);
  else process.stdout.write(`${loads.map((l) => l.loadId).join('\n')}\n`);
}

/** With --wait: waits for each load in turn, printing its report; the exit code is the worst of them. */
async function waitForLoads(
  conn: Connections,
  config: ProducerConfig,
  log: Logger,
  loads: Pick<EnqueueResult, 'loadId'>[],
  { many, signal }: { many: boolean; signal: AbortSignal },
): Promise<number> {
  const reports: LoadReport[] = [];
  const codes: number[] = [];
  for (const { loadId } of loads) {
    codes.push(
      await waitAndPrint(conn, loadId, {
        config: { ...config, MAX_REJECT_RATE: opts.maxRejectRate ?? config.MAX_REJECT_RATE },
        log,
        signal,
        json: opts.json === true,
        collect: many ? (report) => reports.push(report) : undefined,
      }),
    );
    if (signal.aborted) break;
  }
  if (opts.json && many) process.stdout.write(`${JSON.stringify(reports)}\n`);
  return worstExitCode(codes);
}

/**
 * Says plainly what a second run did: a user must not wonder whether rows were loaded twice. A
 * load recorded from the file in another form (gzip-compressed or not, renamed) is named.
 */
function sayResumed(result: EnqueueResult): void {
  if (!result.resumed || !result.complete) return;
  const { loadId, chunksEnqueued, chunksTotal, recordedFrom } = result;
  const from = recordedFrom && `${recordedFrom.name} (${recordedFrom.compression ?? 'uncompressed'}; same content)`;
  process.stderr.write(
    chunksEnqueued === 0
      ? `enqueue: load ${loadId}: ${from ? `already enqueued as ${from}` : 'this file was already enqueued (same content)'}: nothing new to enqueue\n`
      : `enqueue: load ${loadId}: resumed${from ? ` (recorded from ${from})` : ''}: ${chunksEnqueued} of ${chunksTotal} chunks were missing and are enqueued again\n`,
  );
}
