import type { Logger, Store } from '@hcingest/shared';

/**
 * How long a mark is kept at least: a chunk of a completed load delivered again (a job taken
 * back from a stalled worker) still meets the marks it met the first time.
 */
export const MARK_GRACE_MS = 60 * 60_000;
/** How often a worker sweeps. Any worker may: the sweep is idempotent. */
export const SWEEP_EVERY_MS = 10 * 60_000;

/**
 * The lowest sequence number of a load that may still write (not every chunk accounted), among
 * loads up to `upTo`; Infinity when there is none.
 */
async function oldestOpenLoad(store: Store, upTo: number): Promise<number> {
  const loads = store.loads.find({ seq: { $lte: upTo } }, { projection: { seq: 1, chunksTotal: 1 } }).sort({ seq: 1 });
  for await (const load of loads) {
    if (load.chunksTotal == null) return load.seq;
    if ((await store.chunkResults.countDocuments({ loadId: load._id })) < load.chunksTotal) return load.seq;
  }
  return Infinity;
}

/**
 * One more than the lowest sequence number of a mirror load whose archive step is not done
 * (pending, running, refused: it may be confirmed, failed: it may be retried); Infinity when
 * there is none. The step reads the unchanged marks of loads after it: those are kept.
 */
async function oldestOpenMirror(store: Store): Promise<number> {
  const mirror = await store.loads
    .find({ mode: 'mirror', 'archive.stage': { $ne: 'done' } }, { projection: { seq: 1 } })
    .sort({ seq: 1 })
    .limit(1)
    .next();
  return mirror ? mirror.seq + 1 : Infinity;
}

/**
 * Deletes the write marks no row can race with any more, and the replacement claims no chunk
 * counts any more: a load's marks guard its unchanged rows against rows of its own load and of
 * earlier ones, so they go once every load up to its own is complete (and the grace has passed);
 * its claims are counted by its own chunks only, and go with its marks. A load left incomplete
 * keeps the marks of later loads until it completes, and so does a mirror load until its archive
 * step is done (mirror_rows are kept: they say what each mirror load's file held). Returns how
 * many documents were deleted.
 */
export async function sweepWriteMarks(store: Store, now = Date.now()): Promise<number> {
  const newest = await store.writeMarks
    .find({}, { projection: { seq: 1 } })
    .sort({ seq: -1 })
    .limit(1)
    .next();
  if (!newest) return 0;
  const open = Math.min(await oldestOpenLoad(store, newest.seq), await oldestOpenMirror(store));
  const swept = { seq: { $lt: open }, at: { $lt: new Date(now - MARK_GRACE_MS) } };
  const marks = await store.writeMarks.deleteMany(swept);
  const claims = await store.replacements.deleteMany(swept);
  return marks.deletedCount + claims.deletedCount;
}

/** Sweeps the write marks every SWEEP_EVERY_MS while the worker runs. */
export class WriteMarkSweeper {
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | undefined;

  constructor(
    private readonly store: Store,
    private readonly log: Logger,
    private readonly everyMs = SWEEP_EVERY_MS,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.sweeping ??= sweepWriteMarks(this.store)
        .then((deleted) => {
          if (deleted > 0) this.log.info({ deleted }, 'write marks swept');
        })
        .catch((err: unknown) => this.log.warn({ error: String(err).slice(0, 300) }, 'write mark sweep failed'))
        .finally(() => (this.sweeping = undefined));
    }, this.everyMs);
    this.timer.unref();
  }

  /** Stops sweeping; resolves once a sweep in progress has ended. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.sweeping;
  }
}
