import {
  loadConfig,
  type Config,
  type LoadConfigOptions,
  type SettingsOf,
  type SettingsSchema,
} from '@hcingest/shared';

/** The worker's own settings: how many chunks it takes, how stalls are handed over, how it stops. */
export const workerSchema = {
  WORKER_CONCURRENCY: {
    doc:
      'Chunk jobs one worker process handles at once: 2 keeps one chunk parsing while the other is written (a ' +
      'worker runs on one core); scale out with more workers (docs/performance.md). worker --concurrency overrides it.',
    format: 'positive-int',
    default: 2,
    env: 'WORKER_CONCURRENCY',
  },
  GLOBAL_CONCURRENCY: {
    doc:
      "Chunk jobs in flight across all workers, on every host: auto adapts it to the store's write latency " +
      '(1 to 64, starting at 2; docs/scaling.md), a number pins it (e.g. to spare a production MongoDB). ' +
      'Every worker of a queue must have the same setting.',
    format: 'global-concurrency',
    default: 'auto',
    env: 'GLOBAL_CONCURRENCY',
  },
  LOCK_DURATION_MS: {
    doc: 'Job lock duration, in ms: a chunk whose worker stops renewing its lock for this long is stalled and handed to another worker.',
    format: 'positive-int',
    default: 30000,
    env: 'LOCK_DURATION_MS',
  },
  STALLED_INTERVAL_MS: {
    doc: 'How often workers look for stalled chunks (whose worker died) to hand them to another worker, in ms.',
    format: 'positive-int',
    default: 30000,
    env: 'STALLED_INTERVAL_MS',
  },
  MAX_STALLED_COUNT: {
    doc: 'Times a chunk may stall (its worker dying) before it is failed instead of handed over again.',
    format: 'positive-int',
    default: 10,
    env: 'MAX_STALLED_COUNT',
  },
  SHUTDOWN_GRACE_MS: {
    doc:
      'On SIGTERM, how long a worker waits for in-flight chunks before closing anyway, in ms. With Docker compose ' +
      "keep it below 45000: the worker's stop_grace_period is 45 s.",
    format: 'positive-int',
    default: 30000,
    env: 'SHUTDOWN_GRACE_MS',
  },
  ARCHIVE_BATCH_SIZE: {
    doc:
      "Admissions per store operation of a mirror load's archive step (enqueue --mode mirror): ids read, documents " +
      'copied to the archive and deleted per batch, which bounds the memory the step needs.',
    format: 'positive-int',
    default: 1000,
    env: 'ARCHIVE_BATCH_SIZE',
  },
  WORKER_HTTP_PORT: {
    doc: "Port of the worker's health endpoints /healthz and /readyz (the Docker HEALTHCHECK probes /healthz); 0 disables them.",
    format: 'port',
    default: 9464,
    env: 'WORKER_HTTP_PORT',
  },
} satisfies SettingsSchema;

export type WorkerConfig = Config & SettingsOf<typeof workerSchema>;

/** Reads and validates the worker's settings (shared and its own); throws ConfigError naming each bad variable. */
export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env, options: LoadConfigOptions = {}): WorkerConfig {
  return loadConfig(env, { ...options, schema: workerSchema });
}
