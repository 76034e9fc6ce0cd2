#!/usr/bin/env node
import { Command, InvalidArgumentError } from 'commander';
import { readReport } from '@hcingest/shared/load/loadStore';
import { openChunkQueue } from '@hcingest/shared/queue/chunkQueue';
import { createRedis } from '@hcingest/shared/queue/redisConnection';
import { connectStore, ensureIndexes } from '@hcingest/shared/store/collections';
import { enqueueLoad } from '../enqueueLoad.js';
import { formatReport } from '../report/formatReport.js';
import { progressPrinter } from '../report/progressPrinter.js';
import { waitForLoad } from '../report/waitForLoad.js';
import { EXIT, runCli } from './runCli.js';

function positiveInt(value: string): number {
  if (!/^[1-9]\d*$/.test(value)) throw new InvalidArgumentError('must be a positive integer');
  return Number(value);
}

const program = new Command('enqueue')
  .description(
    'Checks a CSV file of admissions, splits it into chunk jobs on the queue and records the load.\n' +
      'Prints the load id. The same file enqueued again is the same load: it resumes, never duplicates.',
  )
  .argument('<file>', 'CSV file with the 15 admission columns')
  .option('--chunk-size <n>', 'rows per chunk job (default: CHUNK_SIZE, 1000)', positiveInt)
  .option('--load-id <id>', 'name the load explicitly (letters, digits, "_", "-")')
  .option('--new-load', 'start a new load even if this file was loaded before')
  .option('--wait', 'wait until every chunk is processed, showing progress; exit 0 only if completed')
  .option('--json', 'print exactly one JSON document on stdout ({loadId, state}, or the report with --wait)')
  .addHelpText(
    'after',
    '\nExit codes: 0 enqueued (with --wait: completed), 1 load failed or error, 2 file or settings refused,\n' +
      '130 interrupted (the load is resumable: run the same command again).',
  )
  .showHelpAfterError()
  .parse();

const opts = program.opts<{ chunkSize?: number; loadId?: string; newLoad?: boolean; wait?: boolean; json?: boolean }>();
if (opts.loadId !== undefined && opts.newLoad) program.error('--load-id and --new-load cannot be used together');
const [path] = program.args as [string];

await runCli('enqueue', async (config, log) => {
  const store = await connectStore(config, 'hcingest-producer');
  const connection = createRedis(config);
  const queue = openChunkQueue(config, connection);
  let stopRequested = false;
  const stop = () => {
    stopRequested = true;
    log.warn('stop requested: finishing the current chunk');
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  try {
    await ensureIndexes(store);
    const result = await enqueueLoad(
      { store, queue, config, log },
      {
        path,
        chunkSize: opts.chunkSize ?? config.CHUNK_SIZE,
        loadId: opts.loadId,
        newLoad: opts.newLoad,
        shouldStop: () => stopRequested,
      },
    );
    if (!result.complete) {
      if (opts.json)
        process.stdout.write(`${JSON.stringify({ loadId: result.loadId, state: 'running', interrupted: true })}\n`);
      return EXIT.interrupted;
    }
    if (!opts.wait) {
      const state = (await readReport(store, result.loadId))?.state ?? 'running';
      process.stdout.write(opts.json ? `${JSON.stringify({ loadId: result.loadId, state })}\n` : `${result.loadId}\n`);
      return EXIT.ok;
    }
    const controller = new AbortController();
    process.removeListener('SIGTERM', stop);
    process.removeListener('SIGINT', stop);
    process.once('SIGINT', () => controller.abort());
    process.once('SIGTERM', () => controller.abort());
    const report = await waitForLoad(store, result.loadId, {
      intervalMs: config.POLL_INTERVAL_MS,
      onProgress: progressPrinter(),
      signal: controller.signal,
    });
    process.stdout.write(opts.json ? `${JSON.stringify(report)}\n` : `${formatReport(report)}\n`);
    return report.state === 'completed' ? EXIT.ok : controller.signal.aborted ? EXIT.interrupted : EXIT.notCompleted;
  } finally {
    await queue.close().catch(() => undefined);
    await connection.quit().catch(() => undefined);
    await store.client.close().catch(() => undefined);
  }
});
