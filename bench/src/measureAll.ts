import type { BenchContext } from './context.js';
import { bestOf } from './measure/rates.js';
import { runsStage, type Stage } from './options.js';
import type { Measured } from './report/measured.js';
import { archiveStep } from './stages/archiveStep.js';
import { directStages } from './stages/directStages.js';
import { endToEndStages } from './stages/endToEndStages.js';
import { enqueueAlone } from './stages/enqueue.js';
import { parseOnly } from './stages/parseOnly.js';
import { seedBaseline } from './stages/seedBaseline.js';

/** Runs `measure` when the run measures `stage` (saying so first unless `quiet`); null otherwise. */
async function stage<T>(ctx: BenchContext, name: Stage, measure: () => Promise<T>, quiet = false): Promise<T | null> {
  if (!runsStage(ctx.options, name)) return null;
  if (!quiet) ctx.say(name);
  return measure();
}

/** Every stage the run measures, in order, on the generated file. */
export async function measureAll(ctx: BenchContext): Promise<Measured> {
  const { file, options } = ctx;
  const parse = await stage(ctx, 'parseOnly', () => parseOnly(file));
  const enqueue = await stage(ctx, 'enqueue', () =>
    enqueueAlone(ctx.children, { file, rows: options.rows, env: ctx.envFor('enqueue'), redisUrl: ctx.redisUrl }),
  );
  // directStages says each of its measures itself.
  const direct = await stage(ctx, 'directUpsert', () => directStages(ctx), true);
  const baseline = await stage(ctx, 'seedBaseline', () =>
    bestOf(options.repeat, async (a) =>
      seedBaseline(file, { mongoUrl: ctx.mongoUrl, dbName: `${ctx.dbPrefix}_seed${a}`, say: ctx.say }),
    ),
  );
  const workers = await endToEndStages(ctx);
  const archive = await stage(ctx, 'archive', () => archiveStep(ctx));
  return { parse, enqueue, direct, baseline, ...workers, archive };
}
