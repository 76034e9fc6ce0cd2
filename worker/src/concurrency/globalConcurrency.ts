import { limiterKeys, type ChunkQueue, type Logger, type RedisClient } from '@hcingest/shared';
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

  /** Pins the limit, or applies the shared adaptive one (created at its initial value). */
  async start(): Promise<void> {
    if (this.setting !== 'auto') return this.apply(this.setting);
    const client = this.client;
    const { state, history } = limiterKeys(this.queue);
    if ((await client.hsetnx(state, 'limit', ADAPTIVE.initial)) === 1) {
      await client.lpush(history, `${Date.now()}:${ADAPTIVE.initial}`);
    }
    await this.apply(Number(await client.hget(state, 'limit')));
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
