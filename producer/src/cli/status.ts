#!/usr/bin/env node
import { Command } from 'commander';
import { readReport } from '@hcingest/shared/load/loadStore';
import { connectStore } from '@hcingest/shared/store/collections';
import { formatReport } from '../report/formatReport.js';
import { progressPrinter } from '../report/progressPrinter.js';
import { waitForLoad } from '../report/waitForLoad.js';
import { EXIT, runCli } from './runCli.js';

const program = new Command('status')
  .description('Prints the report of a load: rows read = rejected + inserted + updated + unchanged + stale.')
  .argument('<loadId>', 'the id printed by enqueue')
  .option('--wait', 'block until the load is completed or failed, showing progress')
  .option('--json', 'print the report as one JSON document')
  .addHelpText(
    'after',
    '\nExit codes: 0 report printed (with --wait: load completed), 1 load failed (with --wait) or error,\n' +
      '2 settings refused, 3 no such load.',
  )
  .showHelpAfterError()
  .parse();

const opts = program.opts<{ wait?: boolean; json?: boolean }>();
const [loadId] = program.args as [string];

await runCli('status', async (config) => {
  const store = await connectStore(config, 'hcingest-status');
  try {
    const current = await readReport(store, loadId);
    if (!current) {
      process.stderr.write(`status: no load "${loadId}"\n`);
      return EXIT.notFound;
    }
    const controller = new AbortController();
    process.once('SIGINT', () => controller.abort());
    const report = opts.wait
      ? await waitForLoad(store, loadId, {
          intervalMs: config.POLL_INTERVAL_MS,
          onProgress: progressPrinter(),
          signal: controller.signal,
        })
      : current;
    process.stdout.write(opts.json ? `${JSON.stringify(report)}\n` : `${formatReport(report)}\n`);
    if (!opts.wait) return EXIT.ok;
    return report.state === 'completed' ? EXIT.ok : controller.signal.aborted ? EXIT.interrupted : EXIT.notCompleted;
  } finally {
    await store.client.close().catch(() => undefined);
  }
});
