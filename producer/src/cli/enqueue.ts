#!/usr/bin/env node
import { InvalidArgumentError } from 'commander';
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
} from '@hcingest/shared';
import { checkFormats } from '../formatSniff.js';
import { enqueueLoad, type EnqueueResult } from '../enqueueLoad.js';
import { inputFiles } from '../inputFiles.js';
import { enqueueSchema, type ProducerConfig } from '../settings.js';

function positiveInt(value: string): number {
  if (!/^[1-9]\d*$/.test(value)) throw new InvalidArgumentError('must be a positive integer');
  return Number(value);
}

const program = command('enqueue')
  .description(
    'Checks a CSV file of admissions, splits it into chunk jobs on the queue and records the load.\n' +
      'Prints the load id. The same file enqueued again is the same load: it resumes, never duplicates.\n' +
      'Several files (or a directory: its *.csv and *.csv.gz files, in name order) are one load each, in the\n' +
      "order given, so a later file's rows win; every file is checked before the first is enqueued.",
  )
  .argument('<file...>', 'CSV files with the 15 admission columns (gzip-compressed too), or directories of them')
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
      'refused, 4 (with --wait) completed but rejected more than --max-reject-rate of its rows, 130 interrupted\n' +
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
}>();
if (opts.loadId !== undefined && opts.newLoad) program.error('--load-id and --new-load cannot be used together');

await runCli(
  'enqueue',
  async (config, log) => {
    const conn = await openConnections(config, 'hcingest-producer');
    const controller = stopOnSignal(log);
    try {
      const input = await inputFiles(program.args);
      if (input.many && opts.loadId !== undefined) throw new InputError('--load-id names one load: give one file');
      // A bad file in a list stops the command before anything of any file is written.
      if (input.many) for (const f of input.files) await checkListed(f);
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
  loads: EnqueueResult[],
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
