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
  FILE_ENCODINGS,
  parseEncoding,
  type FileEncoding,
  type Delimiter,
  delimiterOption,
} from '@hcingest/shared';
import { enqueueLoad } from '../enqueueLoad.js';

function positiveInt(value: string): number {
  if (!/^[1-9]\d*$/.test(value)) throw new InvalidArgumentError('must be a positive integer');
  return Number(value);
}

const program = command('enqueue')
  .description(
    'Checks a CSV file of admissions, splits it into chunk jobs on the queue and records the load.\n' +
      'Prints the load id. The same file enqueued again is the same load: it resumes, never duplicates.',
  )
  .argument('<file>', 'CSV file with the 15 admission columns (gzip-compressed too: read as it streams)')
  .option('--chunk-size <n>', 'rows per chunk job (default: CHUNK_SIZE, 1000)', positiveInt)
  .option('--load-id <id>', 'name the load explicitly (letters, digits, "_", "-")')
  .option('--new-load', 'start a new load even if this file was loaded before')
  .addOption(
    new Option('--encoding <name>', 'file encoding')
      .choices([...FILE_ENCODINGS])
      .default('utf8')
      .argParser((v) => {
        try {
          return parseEncoding(v);
        } catch (err) {
          throw new InvalidArgumentError((err as Error).message);
        }
      }),
  )
  .option(
    '--delimiter <d>',
    'field delimiter: "," ";" or "tab" (default: detected from the header, the one that splits it into the columns)',
    delimiterOption,
  )
  .option('--wait', 'wait until every chunk is processed, showing progress; exit 0 only if completed')
  .option(
    '--max-reject-rate <rate>',
    'with --wait: exit 4 when more than this share of the rows is rejected, as 0.05 or 5% (default: MAX_REJECT_RATE, 5%)',
    rejectRateOption,
  )
  .option(
    '--json',
    'print exactly one JSON document on stdout ({loadId, state, rowsRead, chunks..., seconds}, or the report with --wait)',
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
  wait?: boolean;
  json?: boolean;
  maxRejectRate?: number;
}>();
if (opts.loadId !== undefined && opts.newLoad) program.error('--load-id and --new-load cannot be used together');
const [path] = program.args as [string];

await runCli('enqueue', async (config, log) => {
  const conn = await openConnections(config, 'hcingest-producer');
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
  try {
    await ensureIndexes(conn.store);
    const result = await enqueueLoad(
      { store: conn.store, queue: conn.queue, config, log },
      {
        path,
        chunkSize: opts.chunkSize ?? config.CHUNK_SIZE,
        loadId: opts.loadId,
        newLoad: opts.newLoad,
        encoding: opts.encoding,
        delimiter: opts.delimiter,
        shouldStop: () => controller.signal.aborted,
      },
    );
    if (result.resumed && result.complete) {
      // Say plainly what a second run did: a user must not wonder whether rows were loaded twice.
      const { loadId, chunksEnqueued, chunksTotal } = result;
      process.stderr.write(
        chunksEnqueued === 0
          ? `enqueue: load ${loadId}: this file was already enqueued (same content): nothing new to enqueue\n`
          : `enqueue: load ${loadId}: resumed: ${chunksEnqueued} of ${chunksTotal} chunks were missing and are enqueued again\n`,
      );
    }
    if (!result.complete) {
      if (opts.json)
        process.stdout.write(`${JSON.stringify({ loadId: result.loadId, state: 'running', interrupted: true })}\n`);
      else process.stdout.write(`${result.loadId}\n`);
      return EXIT.interrupted;
    }
    if (!opts.wait) {
      const state = (await readReport(conn.store, result.loadId))?.state ?? 'running';
      const { loadId, rowsRead, chunksTotal, chunksEnqueued, chunksSkipped, seconds } = result;
      const summary = { loadId, state, rowsRead, chunksTotal, chunksEnqueued, chunksSkipped, seconds };
      process.stdout.write(opts.json ? `${JSON.stringify(summary)}\n` : `${loadId}\n`);
      return EXIT.ok;
    }
    return await waitAndPrint(conn, result.loadId, {
      config: { ...config, MAX_REJECT_RATE: opts.maxRejectRate ?? config.MAX_REJECT_RATE },
      log,
      signal: controller.signal,
      json: opts.json === true,
    });
  } finally {
    await conn.close();
  }
});
