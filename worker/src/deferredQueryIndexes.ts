import { ensureQueryIndexes, type QueryIndexes, type Store, type Logger } from '@hcingest/shared';

/**
 * The patients' query indexes deferred by a first load into an empty collection: built once a
 * load completes (its every chunk accounted), by the worker that accounts its last chunk. Until
 * then each accounted chunk costs two small reads; afterwards nothing.
 */
export class DeferredQueryIndexes {
  private pending: boolean;
  private building: Promise<void> | undefined;

  constructor(
    private readonly store: Store,
    private readonly log: Logger,
    state: QueryIndexes,
  ) {
    this.pending = state === 'deferred';
  }

  /** Called after a chunk of `loadId` was accounted; starts the build when the load is complete. */
  async chunkAccounted(loadId: string): Promise<void> {
    if (!this.pending || this.building) return;
    const load = await this.store.loads.findOne({ _id: loadId }, { projection: { chunksTotal: 1 } });
    if (load?.chunksTotal == null) return;
    if ((await this.store.chunkResults.countDocuments({ loadId })) < load.chunksTotal) return;
    const started = Date.now();
    this.log.info({ loadId }, 'first load completed: building the query indexes of the patients collection');
    this.building = ensureQueryIndexes(this.store)
      .then(() => {
        this.pending = false;
        this.log.info({ ms: Date.now() - started }, 'query indexes built');
      })
      // Not lost: the next chunk accounted, or the next start of any process, builds them.
      .catch((err: unknown) => this.log.warn({ error: String(err).slice(0, 300) }, 'query index build failed'))
      .finally(() => (this.building = undefined));
  }

  /** Resolves once a build in progress has ended. */
  async settled(): Promise<void> {
    await this.building;
  }
}
