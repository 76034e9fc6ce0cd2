import { limiterKeys, PINNED_FIELD, type ChunkQueue, type Logger, type RedisClient } from '@hcingest/shared';
import { ADAPTIVE, ADAPT_SCRIPT } from './adaptiveLimit.js';

/**
 * The queue's limit on chunk jobs in flight across all workers (BullMQ's global concurrency),
 * pinned to a number or adapted to the store's latency (adaptiveLimit.ts). Each worker holds
 * one: it applies the setting when it starts and reports each accounted chunk's time.
 */
export class GlobalConcurrency {
  private applied: number | undefined;

  constructor(
    private readonly queue: ChunkQueue,
    /** a connection of its own (not a blocking one of BullMQ's) */
    private readonly client: RedisClient,
    private readonly setting: 'auto' | number,
    private readonly log: Logger,
  ) {}

  /** The limit this worker last applied or saw (undefined before start). */
  get limit(): number | undefined {
    return this.applied;
  }

  /**
   * Pins the limit, or applies the shared adaptive one (created at its initial value). Either
   * way the state says which (PINNED_FIELD) and the history records a switch, for the dashboard.
   */
  async start(): Promise<void> {
    const client = this.client;
    const { state, history } = limiterKeys(this.queue);
    const record = (limit: number) =>
      client.multi().lpush(history, `${Date.now()}:${limit}`).ltrim(history, 0, 499).exec();
    if (this.setting !== 'auto') {
      const before = await client.hget(state, PINNED_FIELD);
      await client.hset(state, PINNED_FIELD, this.setting);
      if (before !== String(this.setting)) await record(this.setting);
      return this.apply(this.setting);
    }
    const created = (await client.hsetnx(state, 'limit', ADAPTIVE.initial)) === 1;
    const wasPinned = (await client.hdel(state, PINNED_FIELD)) === 1;
    const limit = Number(await client.hget(state, 'limit'));
    if (created || wasPinned) await record(limit);
    await this.apply(limit);
  }

  /** An accounted chunk's time and rows: moves the adaptive limit, applied when it changes. */
  async sample(ms: number, rows: number): Promise<void> {
    if (this.setting !== 'auto' || rows <= 0) return;
    const client = this.client;
    const { state, history } = limiterKeys(this.queue);
    const a = ADAPTIVE;
    const [limit, changed] = (await client.eval(
      ADAPT_SCRIPT,
      2,
      state,
      history,
      ms / rows,
      Date.now(),
      a.initial,
      a.min,
      a.max,
      a.alpha,
      a.beta,
      a.drift,
    )) as [number, number];
    if (changed === 0 && limit === this.applied) return;
    await this.apply(limit);
    // Two workers changing it at once may apply their values out of order: the state decides.
    const settled = Number(await client.hget(state, 'limit'));
    if (settled !== limit) await this.apply(settled);
    if (changed === 1) this.log.info({ limit: this.applied }, 'chunks in flight limit changed');
  }

  private async apply(limit: number): Promise<void> {
    await this.queue.setGlobalConcurrency(limit);
    this.applied = limit;
  }
}
