#!/usr/bin/env node
import {
  findMissingChunks,
  readReport,
  rejectsByReason,
  formatReport,
  waitAndPrint,
  openConnections,
  EXIT,
  rejectRateOption,
  runCli,
  command,
  waitSchema,
} from '@hcingest/shared';

const program = command('status')
  .description(
    'Prints the report of a load: rows read = rejected + inserted + updated + unchanged + superseded + stale.\n' +
      'Names chunks lost from the queue (re-run enqueue on the file to re-queue them).',
  )
  .argument('<loadId>', 'the id printed by enqueue')
  .option('--wait', 'block until the load is completed or failed (or cannot progress), showing progress')
  .option(
    '--max-reject-rate <rate>',
    'with --wait: exit 4 when more than this share of the rows is rejected, as 0.05 or 5% (default: MAX_REJECT_RATE, 5%)',
    rejectRateOption,
  )
  .option('--json', 'print the report as one JSON document')
  .addHelpText(
    'after',
    '\nExit codes: 0 report printed (with --wait: load completed), 1 load failed or stuck (with --wait) or error,\n' +
      '2 usage or settings refused, 3 no such load, 4 (with --wait) completed but rejected more than\n' +
      '--max-reject-rate of its rows.',
  )
  .showHelpAfterError()
  .parse();

const opts = program.opts<{ wait?: boolean; json?: boolean; maxRejectRate?: number }>();
const [loadId] = program.args as [string];

await runCli(
  'status',
  async (config, log) => {
    const conn = await openConnections(config, 'hcingest-status');
    try {
      const current = await readReport(conn.store, loadId);
      if (!current) {
        process.stderr.write(`status: no load "${loadId}"\n`);
        return EXIT.notFound;
      }
      if (opts.wait) {
        const controller = new AbortController();
        process.once('SIGINT', () => controller.abort());
        process.once('SIGTERM', () => controller.abort());
        return await waitAndPrint(conn, loadId, {
          config: { ...config, MAX_REJECT_RATE: opts.maxRejectRate ?? config.MAX_REJECT_RATE },
          log,
          signal: controller.signal,
          json: opts.json === true,
        });
      }
      const missing = await findMissingChunks(conn.store, conn.queue, current);
      const report = missing.length > 0 ? { ...current, missingChunks: missing } : current;
      const rejects = report.rejected > 0 && !opts.json ? await rejectsByReason(conn.store, loadId) : [];
      process.stdout.write(opts.json ? `${JSON.stringify(report)}\n` : `${formatReport(report, rejects)}\n`);
      return EXIT.ok;
    } finally {
      await conn.close();
    }
  },
  { schema: waitSchema },
);
