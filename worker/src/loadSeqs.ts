import { UnknownLoadError, type Store } from '@hcingest/shared';

/** Loads remembered at most; a worker rarely sees more than a few at a time. */
const MAX_LOADS = 1000;

/** What a worker needs of a load to write its chunks: its order, and whether it mirrors its file. */
export interface LoadInfo {
  seq: number;
  mirror: boolean;
}

/**
 * Load sequence numbers (which order loads for precedence) and modes, read once per load and
 * worker: neither changes once recorded, so later chunks of the load skip the round trip.
 */
export class LoadSeqs {
  private readonly loads = new Map<string, LoadInfo>();
  constructor(private readonly store: Store) {}

  async of(loadId: string): Promise<number> {
    return (await this.info(loadId)).seq;
  }

  async info(loadId: string): Promise<LoadInfo> {
    const known = this.loads.get(loadId);
    if (known !== undefined) return known;
    const load = await this.store.loads.findOne({ _id: loadId }, { projection: { seq: 1, mode: 1 } });
    if (!load) throw new UnknownLoadError(`load ${loadId} is not recorded in the loads collection`);
    if (this.loads.size >= MAX_LOADS) this.loads.delete(this.loads.keys().next().value!);
    const info = { seq: load.seq, mirror: load.mode === 'mirror' };
    this.loads.set(loadId, info);
    return info;
  }
}
