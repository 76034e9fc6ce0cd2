import { QueueEvents } from 'bullmq';
import { type Config, type Logger, createRedis, rateLimitedErrors } from '@hcingest/shared';
import type { DashboardMetrics } from './dashboardMetrics.js';

/** Bound on attempts tracked at once (a dashboard started mid-load never sees some starts). */
const MAX_TRACKED = 10_000;

/** Time of a queue event: its Redis stream id starts with the server's clock in ms. */
export function eventTime(streamId: string | undefined): number {
  const ms = Number(streamId?.split('-')[0]);
  return Number.isFinite(ms) && ms > 0 ? ms : Date.now();
}

export interface ChunkEventsWatcher {
  close(): Promise<void>;
}

/**
 * Follows the chunk queue's events (a Redis stream, on a connection of its own) to time chunk
 * attempts: from `active` to `completed`, both stamped by the Redis server, so the clocks of the
 * workers do not matter. Events carry job ids only, never job data.
 */
export function watchChunkEvents(config: Config, metrics: DashboardMetrics, log: Logger): ChunkEventsWatcher {
  const connection = createRedis(config);
  const events = new QueueEvents(config.QUEUE_NAME, { connection, prefix: config.QUEUE_PREFIX });
  const started = new Map<string, number>();
  const end = (jobId: string) => {
    const at = started.get(jobId);
    started.delete(jobId);
    return at;
  };

  events.on('active', ({ jobId }, id) => {
    started.delete(jobId);
    started.set(jobId, eventTime(id));
    if (started.size > MAX_TRACKED) started.delete(started.keys().next().value!);
  });
  events.on('completed', ({ jobId }, id) => {
    const at = end(jobId);
    metrics.observeAttempt('completed');
    if (at !== undefined) metrics.observeChunkDuration((eventTime(id) - at) / 1000);
  });
  // A failed attempt that will be retried goes back to delayed (backoff) or waiting.
  events.on('delayed', ({ jobId }) => {
    if (end(jobId) !== undefined) metrics.observeAttempt('retried');
  });
  events.on('waiting', ({ jobId, prev }) => {
    if (prev === 'active' && end(jobId) !== undefined) metrics.observeAttempt('retried');
  });
  events.on('failed', ({ jobId }) => {
    end(jobId);
    metrics.observeAttempt('failed');
  });
  events.on('stalled', ({ jobId }) => {
    end(jobId);
    metrics.observeAttempt('stalled');
  });

  events.on('error', rateLimitedErrors(log, 'queue events connection error (retrying)', { level: 'warn' }));
  connection.on('error', () => undefined);

  return {
    async close() {
      await events.close().catch(() => undefined);
      connection.disconnect();
    },
  };
}
