import {
  loadConfig,
  waitSchema,
  type Config,
  type LoadConfigOptions,
  type SettingsOf,
  type SettingsSchema,
} from '@hcingest/shared';

/** The producer's own settings (enqueue): how a file becomes chunk jobs, and how they are retried. */
export const producerSchema = {
  CHUNK_SIZE: {
    doc: 'Rows per chunk job (the enqueue --chunk-size default).',
    format: 'positive-int',
    default: 1000,
    env: 'CHUNK_SIZE',
  },
  QUEUE_MAX_PENDING: {
    doc: 'The producer pauses while more than this many chunk jobs wait: bounds Redis memory.',
    format: 'positive-int',
    default: 20,
    env: 'QUEUE_MAX_PENDING',
  },
  JOB_ATTEMPTS: {
    doc: 'Attempts per chunk job before it is reported failed (set on each job the producer enqueues).',
    format: 'positive-int',
    default: 5,
    env: 'JOB_ATTEMPTS',
  },
  JOB_BACKOFF_MS: {
    doc: 'First retry delay of a failed chunk job, in ms; doubles on each attempt (exponential backoff).',
    format: 'positive-int',
    default: 2000,
    env: 'JOB_BACKOFF_MS',
  },
} satisfies SettingsSchema;

/** Everything enqueue loads: the shared settings, its own, and those of --wait. */
export const enqueueSchema = { ...producerSchema, ...waitSchema } satisfies SettingsSchema;

export type ProducerConfig = Config & SettingsOf<typeof enqueueSchema>;

/** Reads and validates enqueue's settings (shared, producer, --wait); throws ConfigError naming each bad variable. */
export function loadProducerConfig(
  env: NodeJS.ProcessEnv = process.env,
  options: LoadConfigOptions = {},
): ProducerConfig {
  return loadConfig(env, { ...options, schema: enqueueSchema });
}
