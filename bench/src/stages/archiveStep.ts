import { join } from 'node:path';
import { countCommands, watchReplies } from '@hcingest/devstack';
import { writeDataset, writeMirrorFile } from '@hcingest/generator';
import { createLogger, ensureIndexes, ensureQueryIndexes, type Store } from '@hcingest/shared';
import { runArchiveStep } from '@hcingest/worker';
import type { BenchContext } from '../context.js';
import { perSec } from '../measure/rates.js';
import { sampleMax } from '../measure/sampling.js';
import { withStore, type DirectSettings } from '../store/benchStore.js';
import { directLoad } from '../store/directLoad.js';

/** Share of the admissions the mirror extract leaves out (what the step archives), and changes. */
const REMOVED = 0.05;
const CHANGED = 0.02;

/** What the archive step of a mirror load measured. */
export interface ArchiveMeasure {
  /** admissions in the collection before the step */
  admissions: number;
  /** ARCHIVE_BATCH_SIZE */
  batch: number;
  archived: number;
  /** the count pass (the guard) and the move pass */
  countMs: number;
  moveMs: number;
  /** admissions scanned per second over both passes (each pass scans the collection's ids once) */
  scannedPerSec: number;
  archivedPerSec: number;
  /** documents the step read whole from the collection (the others it read as ids only) */
  wholeDocumentsRead: number;
  /** the most documents one store reply carried */
  largestReply: number;
  /** the highest heap use during the step above the heap before it, MB */
  heapGrowthMB: number;
  /** commands sent during the step, by name and collection */
  commands: Record<string, number>;
}

/** Loads the base file then its mirror extract (its archive step left pending), as the workers would. */
async function loadBaseAndMirror(ctx: BenchContext, store: Store, config: DirectSettings) {
  const { rows } = ctx.options;
  const base = join(ctx.dir, 'archive-base.csv');
  const mirror = join(ctx.dir, 'archive-mirror.csv');
  // No repeated admission and no invalid row: the file's rows are its admissions.
  const expected = await writeDataset(base, {
    rows,
    seed: 11,
    invalidRate: 0,
    duplicateRate: 0,
    correctionRate: 0,
    blankLineRate: 0,
  });
  const extract = writeMirrorFile(mirror, expected, { removeShare: REMOVED, changeShare: CHANGED, seed: 12 });
  await ensureIndexes(store);
  ctx.say(`  base load: ${expected.docs.length} admissions`);
  await directLoad(store, base, 'base', config.WORKER_CONCURRENCY, config.CHUNK_SIZE);
  await ensureQueryIndexes(store);
  ctx.say(
    `  mirror load: ${extract.docs.length} admissions, ${extract.removed.length} removed, ${extract.changed.length} changed`,
  );
  await directLoad(store, mirror, 'mirror', config.WORKER_CONCURRENCY, config.CHUNK_SIZE, 'mirror');
  return extract.removed.length;
}

/**
 * The archive step of a mirror load leaving out 5 % of the collection's admissions (2 % changed),
 * after both loads went through the workers' chunk processor: its two passes timed, the commands
 * it sent counted, and what it read whole (only what it archives) and held at once.
 */
export function archiveStep(ctx: BenchContext): Promise<ArchiveMeasure> {
  return withStore(
    ctx.envFor('archive'),
    'bench-archive',
    async (store, config) => {
      const removed = await loadBaseAndMirror(ctx, store, config);
      const admissions = await store.patients.countDocuments({});
      const load = (await store.loads.findOne({ _id: 'mirror' }))!;
      ctx.say(`  archive step: ${admissions} admissions`);
      // From now on: the commands sent, the documents of each reply, and those of patients read whole.
      const commands = countCommands(store);
      const replies = watchReplies(store, store.patients.collectionName);
      const heap = process.memoryUsage().heapUsed;
      const step = runArchiveStep(store, load, createLogger('bench', 'silent'), config.ARCHIVE_BATCH_SIZE);
      const peak = await sampleMax(async () => process.memoryUsage().heapUsed, step);
      const out = await step;
      const heapGrowthMB = Math.round((peak - heap) / 1e5) / 10;
      if (out.stage !== 'done' || out.archived !== removed) {
        throw new Error(`archive step ended ${out.stage} with ${out.archived} archived, ${removed} expected`);
      }
      const ms = out.countMs + out.moveMs;
      return {
        admissions,
        batch: config.ARCHIVE_BATCH_SIZE,
        archived: out.archived,
        countMs: out.countMs,
        moveMs: out.moveMs,
        scannedPerSec: perSec(2 * admissions, ms),
        archivedPerSec: perSec(out.archived, ms),
        heapGrowthMB,
        commands,
        ...replies,
      };
    },
    { monitorCommands: true },
  );
}
