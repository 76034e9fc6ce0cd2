import { join } from 'node:path';
import { writeDataset } from '@hcingest/generator';
import type { BenchContext } from '../context.js';
import { bestOf } from '../measure/rates.js';
import { directUpsert } from './directUpsert.js';
import { reloadCommands, type ReloadCommandsMeasure } from './reloadCommands.js';

/** directUpsert and its variants. */
export interface DirectMeasures {
  rowsPerSec: number;
  indexMs: number;
  reload: ReloadCommandsMeasure;
  noRepeatsRowsPerSec: number;
  indexesFirstRowsPerSec: number;
  acknowledgedRowsPerSec: number;
}

/** directUpsert and its variants: the write path alone, and what each default costs. */
export async function directStages(ctx: BenchContext): Promise<DirectMeasures> {
  const { file, envFor, say } = ctx;
  const { rows, repeat } = ctx.options;
  say('directUpsert');
  const main = await bestOf(repeat, (a) => directUpsert(file, rows, envFor(`direct${a}`)));
  // The same write path on a file where no admission repeats: what the store allows when
  // every row is a plain insert (the seed's situation), to tell store limits from ours.
  say('directUpsert, no repeated admissions');
  const plain = join(ctx.dir, 'no-repeats.csv');
  await writeDataset(plain, { rows, seed: 7, invalidRate: 0, duplicateRate: 0, correctionRate: 0 });
  const noRepeats = await bestOf(repeat, (a) => directUpsert(plain, rows, envFor(`directplain${a}`)));
  // What the defaults cost: query indexes maintained during the load instead of built after
  // it, and a journaled write concern against a plain acknowledged one.
  say('directUpsert, query indexes created before the load');
  const indexesFirst = await bestOf(repeat, (a) =>
    directUpsert(file, rows, envFor(`directidx${a}`), { indexesFirst: true }),
  );
  say('directUpsert, MONGO_WRITE_CONCERN=acknowledged');
  const acknowledged = await bestOf(repeat, (a) =>
    directUpsert(file, rows, { ...envFor(`directack${a}`), MONGO_WRITE_CONCERN: 'acknowledged' }),
  );
  // On the file where no admission repeats, so that every row of the reload is unchanged (in the
  // main file, earlier rows of corrected admissions are changing rows and may write).
  say('directUpsert, reload of the identical file, no repeated admissions (commands counted)');
  const reload = await reloadCommands(plain, rows, envFor('directreload'));
  return {
    rowsPerSec: main.rowsPerSec,
    indexMs: main.indexMs,
    reload,
    noRepeatsRowsPerSec: noRepeats.rowsPerSec,
    indexesFirstRowsPerSec: indexesFirst.rowsPerSec,
    acknowledgedRowsPerSec: acknowledged.rowsPerSec,
  };
}
