#!/usr/bin/env node
import { command, connectStore, EXIT, getLoad, runCli } from '@hcingest/shared';
import { restoreArchived } from '../restore/restoreArchived.js';

const program = command('restore')
  .description(
    'Puts back into the patients collection what a mirror load (enqueue --mode mirror) archived, unless a\n' +
      'later load wrote the admission since: that write is kept, and the archived copy stays in the archive.\n' +
      'Each admission put back is marked restored on its archive document, so running it again restores\n' +
      'nothing more. Writes (writer account).',
  )
  .argument('<loadId>', 'the mirror load whose archived admissions to put back')
  .option('--json', 'print {loadId, restored, kept, alreadyRestored} as one JSON document')
  .addHelpText(
    'after',
    '\nrestored: put back now; kept: written by a later load since (patients holds it, or a later mirror load\n' +
      'archived it); alreadyRestored: put back by an earlier run. Counts are of admissions, not rows.\n' +
      "Exit codes: 0 done, 1 error, 2 usage or settings refused, or the load's archive step has not ended\n" +
      '(nothing written), 3 no such load, or not a mirror load.',
  )
  .showHelpAfterError()
  .parse();

const opts = program.opts<{ json?: boolean }>();
const [loadId] = program.args as [string];

await runCli('restore', async (config, log) => {
  const store = await connectStore(config, 'hcingest-restore');
  try {
    const load = await getLoad(store, loadId);
    if (!load || load.mode !== 'mirror') {
      process.stderr.write(
        `restore: ${load ? `load "${loadId}" is not a mirror load: it archived nothing` : `no load "${loadId}"`}\n`,
      );
      return EXIT.notFound;
    }
    const stage = load.archive?.stage;
    if (stage === 'pending' || stage === 'running') {
      process.stderr.write(
        `restore: the archive step of load "${loadId}" has not ended (${stage}): run restore once it has ` +
          `(npm run status -- ${loadId} --wait)\n`,
      );
      return EXIT.badInput;
    }
    const counts = await restoreArchived(store, loadId);
    log.info({ loadId, ...counts }, 'restored');
    process.stdout.write(
      opts.json
        ? `${JSON.stringify({ loadId, ...counts })}\n`
        : `load ${loadId}: restored ${counts.restored} admission(s); kept ${counts.kept} written by a later load ` +
            `since (left in the archive); ${counts.alreadyRestored} restored before\n`,
    );
    return EXIT.ok;
  } finally {
    await store.client.close().catch(() => undefined);
  }
});
