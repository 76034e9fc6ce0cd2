#!/usr/bin/env node
import { listFailedChunks } from '../failedChunks.js';
import { openConnections, EXIT, runCli, command } from '@hcingest/shared';

const program = command('failed')
  .description('Lists chunks that failed for good, with their errors (all loads, or one).')
  .argument('[loadId]', 'only this load')
  .option('--json', 'print the list as one JSON array')
  .addHelpText(
    'after',
    '\nA chunk fails for good once its attempts are used up, or at once when no retry could mend it\n' +
      '(a job that is no chunk job, a load that is not recorded: attempts 1).\n' +
      'Re-queue them with: npm run retry -- <loadId>\nExit codes: 0 listed, 1 error, 2 settings refused.',
  )
  .showHelpAfterError()
  .parse();

const opts = program.opts<{ json?: boolean }>();
const [loadId] = program.args as [string | undefined];

await runCli('failed', async (config) => {
  const conn = await openConnections(config, 'hcingest-failed');
  try {
    const failed = await listFailedChunks(conn.store, loadId);
    if (opts.json) process.stdout.write(`${JSON.stringify(failed)}\n`);
    else if (failed.length === 0) process.stdout.write('no failed chunks\n');
    else {
      for (const f of failed) {
        process.stdout.write(`${f.loadId}  chunk ${f.chunk}  ${f.attempts} attempts  ${f.at}  ${f.error}\n`);
      }
    }
    return EXIT.ok;
  } finally {
    await conn.close();
  }
});
