import { UnknownLoadError, type Store } from '@hcingest/shared';

/** Loads remembered at most; a worker rarely sees more than a few at a time. */
const MAX_LOADS = 1000;

/**
 * Load sequence numbers (which order loads for precedence), read once per load and worker: a
 * load's number never changes once recorded, so later chunks of the load skip the round trip.
 */
export class LoadSeqs {
  private readonly seqs = new Map<string, number>();
  constructor(private readonly store: Store) {}

  async of(loadId: string): Promise<number> {
    const known = this.seqs.get(loadId);
    if (known !== undefined) return known;
    const load = await this.store.loads.findOne({ _id: loadId }, { projection: { seq: 1 } });
    if (!load) throw new UnknownLoadError(`load ${loadId} is not recorded in the loads collection`);
    if (this.seqs.size >= MAX_LOADS) this.seqs.delete(this.seqs.keys().next().value!);
    this.seqs.set(loadId, load.seq);
    return load.seq;
  }
}
