import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { loadConfig } from '@hcingest/shared';
import type { Children } from '../processes/children.js';
import { runProducer } from '../processes/producer.js';
import { perSec } from '../measure/rates.js';
import { redisUsedMemory, rssHighWater, sampleMax } from '../measure/sampling.js';

/** The producer alone: its rate, its start-up, its memory and what its jobs weigh in Redis. */
export interface EnqueueMeasure {
  rowsPerSec: number;
  wallRowsPerSec: number;
  startupMs: number;
  peakRssMB: number;
  redisPeakMB: number;
}

/**
 * Consumers that cost the producer's machine nothing: waiting jobs are deleted inside Redis (no
 * job data travels), so the producer runs under its normal backpressure, alone. Returns the stop.
 */
function drainQueue(env: NodeJS.ProcessEnv, redisUrl: string): () => Promise<void> {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const config = loadConfig({ ...process.env, ...env });
  const queue = new Queue(config.QUEUE_NAME, { connection, prefix: config.QUEUE_PREFIX });
  let draining = true;
  const drainLoop = (async () => {
    while (draining) {
      await queue.drain();
      // Every 2 ms: jobs are deleted as they arrive, so the drain cadence does not pace the producer.
      await new Promise((r) => setTimeout(r, 2));
    }
  })();
  return async () => {
    draining = false;
    await drainLoop;
    await queue.close();
    connection.disconnect();
  };
}

/** The producer alone, `rows` rows of `file`, into a queue that is drained as it fills. */
export async function enqueueAlone(
  children: Children,
  o: { file: string; rows: number; env: NodeJS.ProcessEnv; redisUrl: string },
): Promise<EnqueueMeasure> {
  const stopDraining = drainQueue(o.env, o.redisUrl);
  const probe = new Redis(o.redisUrl);
  try {
    const base = await redisUsedMemory(probe);
    const t0 = performance.now();
    const producer = runProducer(children, [o.file, '--json'], o.env);
    const [rss, redisPeak, out] = await Promise.all([
      sampleMax(rssHighWater(producer.pid), producer.done),
      sampleMax(() => redisUsedMemory(probe), producer.done),
      producer.done,
    ]);
    const wallMs = performance.now() - t0;
    // The producer times itself from opening the file to the last job acknowledged, as
    // parseOnly is timed from opening the file to the last row: both without process start.
    const { seconds } = JSON.parse(out) as { seconds: number };
    return {
      rowsPerSec: perSec(o.rows, seconds * 1000),
      wallRowsPerSec: perSec(o.rows, wallMs),
      startupMs: Math.round(wallMs - seconds * 1000),
      peakRssMB: +(rss / 2 ** 20).toFixed(1),
      redisPeakMB: +((redisPeak - base) / 2 ** 20).toFixed(1),
    };
  } finally {
    await stopDraining();
    probe.disconnect();
  }
}
