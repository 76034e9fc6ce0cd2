#!/usr/bin/env node
import { readReport, openConnections, EXIT, runCli, command } from '@hcingest/shared';
import { retryFailedChunks } from '../failedChunks.js';

const program = command('retry')
  .description("Puts a load's failed chunks back on the queue with fresh attempts (fix the cause first).")
  .argument('<loadId>', 'the load')
  .option('--json', 'print {loadId, requeued, gone} as one JSON document')
  .addHelpText(
    'after',
    '\nChunks whose job is gone from Redis are listed as "gone": run enqueue on the file again for them.\n' +
      'Follow the load with: npm run status -- <loadId> --wait\n' +
      'Exit codes: 0 done, 1 error, 2 settings refused, 3 no such load.',
  )
  .showHelpAfterError()
  .parse();

const opts = program.opts<{ json?: boolean }>();
const [loadId] = program.args as [string];

await runCli('retry', async (config) => {
  const conn = await openConnections(config, 'hcingest-retry');
  try {
    if (!(await readReport(conn.store, loadId))) {
      process.stderr.write(`retry: no load "${loadId}"\n`);
      return EXIT.notFound;
    }
    const result = await retryFailedChunks(conn.store, conn.queue, loadId);
    if (opts.json) process.stdout.write(`${JSON.stringify({ loadId, ...result })}\n`);
    else {
      process.stdout.write(
        `re-queued ${result.requeued.length} chunk(s)${result.requeued.length ? `: ${result.requeued.join(', ')}` : ''}\n`,
      );
      if (result.gone.length) {
        process.stdout.write(`gone from the queue (run enqueue on the file again): ${result.gone.join(', ')}\n`);
      }
      if (result.archive) process.stdout.write('re-queued the archive step of this mirror load\n');
    }
    return EXIT.ok;
  } finally {
    await conn.close();
  }
});
