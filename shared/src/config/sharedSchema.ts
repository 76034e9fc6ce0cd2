import type { SettingsOf, SettingsSchema } from './setting.js';

/** How every process runs: environment and logging. */
export const runtimeSchema = {
  NODE_ENV: {
    doc:
      'Runtime environment: production, development or test. With production a command refuses to start when a ' +
      'password it uses is empty or the .env.template placeholder.',
    format: ['production', 'development', 'test'],
    default: 'development',
    env: 'NODE_ENV',
  },
  LOG_LEVEL: {
    doc: 'pino log level: fatal, error, warn, info, debug, trace or silent (logs are JSON lines on stderr).',
    format: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
    default: 'info',
    env: 'LOG_LEVEL',
  },
} satisfies SettingsSchema;

/** The store: MongoDB's connection, durability and names. */
export const mongoSchema = {
  MONGO_URL: {
    doc:
      'MongoDB connection string, e.g. mongodb://user:password@host:27017/?authSource=healthcare (secret: never ' +
      'logged, never echoed in errors). Left unset, npm start runs its own local store: set it only to use a ' +
      'MongoDB of your own.',
    format: 'mongo-url',
    default: 'mongodb://127.0.0.1:27017',
    env: 'MONGO_URL',
    sensitive: true,
    unset: true,
  },
  MONGO_WRITE_CONCERN: {
    doc:
      'Write concern of every write: journaled ({w: 1, j: true}: a completed chunk survives a crash of the server), ' +
      'majority ({w: "majority", j: true}: replica sets; also the loss of the primary), or acknowledged ' +
      '({w: 1}: faster, but a crash of the server can lose writes of completed chunks: tests and benchmarks only).',
    format: ['journaled', 'majority', 'acknowledged'],
    default: 'journaled',
    env: 'MONGO_WRITE_CONCERN',
  },
  QUERY_INDEXES: {
    doc:
      'When the query indexes of the patients collection are built: deferred (after the first load into an ' +
      'empty collection: fastest, and MongoDB builds them without blocking) or upfront (with the collection, ' +
      'maintained during loads: for a store whose index build blocks it, such as the test server npm start runs).',
    format: ['deferred', 'upfront'],
    default: 'deferred',
    env: 'QUERY_INDEXES',
  },
  CONNECT_TIMEOUT_MS: {
    doc:
      'How long a command (enqueue, status, failed, retry, db:init) waits for MongoDB and Redis at start-up before ' +
      'it gives up with exit 1, naming the one that did not answer (ms); also the MongoDB server selection and ' +
      'connection (handshake) timeouts. Workers keep retrying.',
    format: 'positive-int',
    default: 10000,
    env: 'CONNECT_TIMEOUT_MS',
  },
  MONGO_SOCKET_TIMEOUT_MS: {
    doc:
      'How long a MongoDB connection may wait for a reply before it is closed and the operation fails (ms; retried: ' +
      "a worker's chunk goes back to the queue). Ends a write stuck on a silent connection (packets dropped, nothing " +
      'reset), which otherwise waits forever; far above any reply a healthy server gives (a chunk write: well under 1 s).',
    format: 'positive-int',
    default: 120000,
    env: 'MONGO_SOCKET_TIMEOUT_MS',
  },
  DB_NAME: {
    doc: 'Database holding the patients, rejects, loads, chunk_results and chunk_failures collections.',
    format: 'db-name',
    default: 'healthcare',
    env: 'DB_NAME',
  },
  COLLECTION_NAME: {
    doc: 'Collection of patient documents.',
    format: 'db-name',
    default: 'patients',
    env: 'COLLECTION_NAME',
  },
  ARCHIVE_COLLECTION_NAME: {
    doc:
      'Collection the admissions a mirror load (enqueue --mode mirror) no longer finds in its file are ' +
      'moved to, with the load that archived them and when (docs/full-extracts.md).',
    format: 'db-name',
    default: 'patients_archive',
    env: 'ARCHIVE_COLLECTION_NAME',
  },
} satisfies SettingsSchema;

/** The queue: Redis's connection and the BullMQ queue's names. */
export const redisSchema = {
  REDIS_URL: {
    doc:
      'Redis holding the chunk queue, e.g. redis://:password@host:6379/0 (secret). Left unset, npm start runs its ' +
      'own: set it only to use a Redis of your own. On a Redis Cluster only its password and TLS (rediss://) are used.',
    format: 'redis-url',
    default: 'redis://127.0.0.1:6379',
    env: 'REDIS_URL',
    sensitive: true,
    unset: true,
  },
  REDIS_CLUSTER_NODES: {
    doc:
      'Redis Cluster seed nodes, comma-separated host:port (empty: one Redis at REDIS_URL). On a cluster the ' +
      'password and TLS (rediss://) still come from REDIS_URL, whose host is then not used, and QUEUE_PREFIX ' +
      'must carry a {hash tag} (docs/scaling.md#scaling-beyond-one-machine).',
    format: 'redis-seeds',
    default: '',
    env: 'REDIS_CLUSTER_NODES',
    example: '10.0.0.1:6379,10.0.0.2:6379,10.0.0.3:6379',
    unset: true,
  },
  REDIS_SOCKET_TIMEOUT_MS: {
    doc:
      'How long a Redis connection with commands in flight may receive nothing before it is dropped and reconnected ' +
      "(ms; its commands fail; a worker's chunk is taken over by another). At least 15000: BullMQ's blocking " +
      'commands wait up to 10 s, and idle workers would otherwise reconnect for nothing.',
    format: 'redis-socket-timeout',
    default: 30000,
    env: 'REDIS_SOCKET_TIMEOUT_MS',
  },
  QUEUE_NAME: {
    doc: 'BullMQ queue of chunk jobs.',
    format: 'db-name',
    default: 'hcingest-chunks',
    env: 'QUEUE_NAME',
  },
  QUEUE_PREFIX: {
    doc:
      'BullMQ key prefix in Redis; on Redis Cluster it must carry a {hash tag}, e.g. {hcingest} (refused at ' +
      'start-up otherwise), the same for every producer, worker and dashboard.',
    format: String,
    default: 'bull',
    env: 'QUEUE_PREFIX',
  },
} satisfies SettingsSchema;

/** The settings every process loads: how it runs, and its connections to the store and the queue. */
export const sharedSchema = { ...runtimeSchema, ...mongoSchema, ...redisSchema } satisfies SettingsSchema;

/** The values of the shared settings, as every process has them. */
export type Config = SettingsOf<typeof sharedSchema>;
