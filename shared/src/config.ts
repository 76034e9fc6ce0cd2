import { isIP } from 'node:net';
import convict from 'convict';

/**
 * Every setting, validated once at start-up. Keys are the environment variable names, so a
 * validation message names the variable to fix. Secrets come only from the environment.
 */
const schema = {
  NODE_ENV: {
    doc: 'Runtime environment.',
    format: ['production', 'development', 'test'],
    default: 'development',
    env: 'NODE_ENV',
  },
  REDIS_URL: {
    doc: 'Redis holding the chunk queue, e.g. redis://:password@host:6379/0.',
    format: 'redis-url',
    default: 'redis://127.0.0.1:6379',
    env: 'REDIS_URL',
    sensitive: true,
  },
  REDIS_CLUSTER_NODES: {
    doc:
      'Redis Cluster seed nodes, comma-separated host:port (empty: one Redis at REDIS_URL). On a cluster the ' +
      'password and TLS (rediss://) still come from REDIS_URL, whose host is then not used, and QUEUE_PREFIX ' +
      'must carry a {hash tag}.',
    format: 'redis-seeds',
    default: '',
    env: 'REDIS_CLUSTER_NODES',
  },
  MONGO_URL: {
    doc: 'MongoDB connection string, e.g. mongodb://user:password@host:27017/?authSource=healthcare.',
    format: 'mongo-url',
    default: 'mongodb://127.0.0.1:27017',
    env: 'MONGO_URL',
    sensitive: true,
  },
  MONGO_WRITE_CONCERN: {
    doc:
      'Write concern of every write: journaled ({w: 1, j: true}: a completed chunk survives a crash of the server), ' +
      'majority ({w: "majority", j: true}: also the loss of a replica set primary), or acknowledged ' +
      '({w: 1}: faster, but a crash of the server can lose writes of completed chunks).',
    format: ['journaled', 'majority', 'acknowledged'],
    default: 'journaled',
    env: 'MONGO_WRITE_CONCERN',
  },
  CONNECT_TIMEOUT_MS: {
    doc:
      'How long a command (enqueue, status, failed, retry, db:init) waits for MongoDB and Redis before it gives up ' +
      'with exit 1, naming the one that did not answer; also the MongoDB server selection and connection (handshake) timeouts. ' +
      'Workers keep retrying.',
    format: 'positive-int',
    default: 10000,
    env: 'CONNECT_TIMEOUT_MS',
  },
  MONGO_SOCKET_TIMEOUT_MS: {
    doc:
      'How long a MongoDB connection may wait for a reply before it is closed and the operation fails (retried: a ' +
      "worker's chunk goes back to the queue). Ends a write stuck on a silent connection (packets dropped, nothing " +
      'reset), which otherwise waits forever; far above any reply a healthy server gives (a chunk write: well under 1 s).',
    format: 'positive-int',
    default: 120000,
    env: 'MONGO_SOCKET_TIMEOUT_MS',
  },
  REDIS_SOCKET_TIMEOUT_MS: {
    doc:
      'How long a Redis connection with commands in flight may receive nothing before it is dropped and reconnected ' +
      "(its commands fail; a worker's chunk is taken over by another). Must stay above BullMQ's longest blocking wait " +
      '(10 s), or idle workers would reconnect for nothing.',
    format: 'redis-socket-timeout',
    default: 30000,
    env: 'REDIS_SOCKET_TIMEOUT_MS',
  },
  DB_NAME: {
    doc: 'Database holding the patients, rejects and loads collections.',
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
  QUEUE_NAME: {
    doc: 'BullMQ queue of chunk jobs.',
    format: 'db-name',
    default: 'hcingest-chunks',
    env: 'QUEUE_NAME',
  },
  QUEUE_PREFIX: {
    doc: 'BullMQ key prefix in Redis; on Redis Cluster it must carry a {hash tag}, e.g. {hcingest}.',
    format: String,
    default: 'bull',
    env: 'QUEUE_PREFIX',
  },
  CHUNK_SIZE: {
    doc: 'Rows per chunk job (the enqueue --chunk-size default).',
    format: 'positive-int',
    default: 1000,
    env: 'CHUNK_SIZE',
  },
  QUEUE_MAX_PENDING: {
    doc: 'The producer pauses while more than this many chunk jobs wait (bounds Redis memory).',
    format: 'positive-int',
    default: 20,
    env: 'QUEUE_MAX_PENDING',
  },
  WORKER_CONCURRENCY: {
    doc: 'Chunk jobs one worker process handles at once (2: one parsed while the other is written; scale with more workers).',
    format: 'positive-int',
    default: 2,
    env: 'WORKER_CONCURRENCY',
  },
  QUERY_INDEXES: {
    doc:
      'When the query indexes of the patients collection are built: "deferred" (after the first load into an ' +
      'empty collection: fastest, and MongoDB builds them without blocking) or "upfront" (with the collection, ' +
      'maintained during loads: for a store whose index build blocks it, such as the test server npm start runs).',
    format: ['deferred', 'upfront'],
    default: 'deferred',
    env: 'QUERY_INDEXES',
  },
  GLOBAL_CONCURRENCY: {
    doc:
      'Chunk jobs in flight across all workers, on every host: "auto" adapts it to the store\'s write latency ' +
      '(1 to 64, starting at 2; docs/scaling.md), a number pins it (e.g. to spare a production MongoDB). ' +
      'Every worker of a queue must have the same setting.',
    format: 'global-concurrency',
    default: 'auto',
    env: 'GLOBAL_CONCURRENCY',
  },
  JOB_ATTEMPTS: {
    doc: 'Attempts per chunk job before it is failed.',
    format: 'positive-int',
    default: 5,
    env: 'JOB_ATTEMPTS',
  },
  JOB_BACKOFF_MS: {
    doc: 'First retry delay of a failed chunk job; doubles on each attempt (exponential backoff).',
    format: 'positive-int',
    default: 2000,
    env: 'JOB_BACKOFF_MS',
  },
  LOCK_DURATION_MS: {
    doc: 'Job lock duration: a chunk whose worker stops renewing its lock for this long is stalled and handed to another worker.',
    format: 'positive-int',
    default: 30000,
    env: 'LOCK_DURATION_MS',
  },
  STALLED_INTERVAL_MS: {
    doc: 'How often workers look for stalled chunks (whose worker died) to hand them to another worker.',
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
    doc: 'On SIGTERM, how long a worker waits for in-flight chunks before closing anyway.',
    format: 'positive-int',
    default: 30000,
    env: 'SHUTDOWN_GRACE_MS',
  },
  MAX_REJECT_RATE: {
    doc:
      "Share of a load's rows that may be rejected before --wait (enqueue, status) exits 4 instead of 0: " +
      'a fraction (0.05) or a percentage (5%). The load itself completes either way.',
    format: 'rate',
    default: 0.05,
    env: 'MAX_REJECT_RATE',
  },
  POLL_INTERVAL_MS: {
    doc: 'How often --wait polls the load report.',
    format: 'positive-int',
    default: 500,
    env: 'POLL_INTERVAL_MS',
  },
  WORKER_HTTP_PORT: {
    doc: 'Port of the worker health endpoints (/healthz, /readyz); 0 disables them.',
    format: 'port',
    default: 9464,
    env: 'WORKER_HTTP_PORT',
  },
  LOG_LEVEL: {
    doc: 'pino log level.',
    format: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
    default: 'info',
    env: 'LOG_LEVEL',
  },
  DASHBOARD_PORT: {
    doc: 'Port the dashboard (npm run dashboard) listens on.',
    format: 'port',
    default: 3000,
    env: 'DASHBOARD_PORT',
  },
  DASHBOARD_HOST: {
    doc:
      'Address the dashboard listens on: 127.0.0.1 (this host only), 0.0.0.0 or :: (every interface: ' +
      "in a container whose port is published, or behind TLS), or one interface's address or host name.",
    format: 'listen-host',
    default: '127.0.0.1',
    env: 'DASHBOARD_HOST',
  },
  DASHBOARD_USER: {
    doc: 'User name of the dashboard HTTP basic auth.',
    format: String,
    default: 'admin',
    env: 'DASHBOARD_USER',
  },
  DASHBOARD_PASSWORD: {
    doc: 'Password of the dashboard HTTP basic auth; required unless DASHBOARD_AUTH=off.',
    format: String,
    default: '',
    env: 'DASHBOARD_PASSWORD',
    sensitive: true,
  },
  DASHBOARD_AUTH: {
    doc: 'on: basic auth on every dashboard page but /healthz, /readyz and /metrics; off: no auth (a trusted network only).',
    format: ['on', 'off'],
    default: 'on',
    env: 'DASHBOARD_AUTH',
  },
  DASHBOARD_READ_ONLY: {
    doc: 'true hides the queue actions (retry, clean, pause, empty) of the dashboard /queues page.',
    format: 'true-false',
    default: false,
    env: 'DASHBOARD_READ_ONLY',
  },
};

convict.addFormat({
  name: 'positive-int',
  validate(value: unknown) {
    if (!Number.isSafeInteger(value) || (value as number) < 1) throw new Error('must be a positive integer');
  },
  coerce: (v: string) => (/^\s*\d+\s*$/.test(v) ? Number(v) : v),
});
convict.addFormat({
  name: 'global-concurrency',
  validate(value: unknown) {
    if (globalConcurrencyOf(value) === undefined) throw new Error('must be "auto" or a positive integer');
  },
});

/** GLOBAL_CONCURRENCY as "auto" or the pinned number; undefined when it is neither. */
export function globalConcurrencyOf(value: unknown): 'auto' | number | undefined {
  if (typeof value !== 'string') return undefined;
  if (value.trim().toLowerCase() === 'auto') return 'auto';
  const n = /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  return Number.isSafeInteger(n) && n >= 1 ? n : undefined;
}
/** A rate as a fraction in [0, 1] ("0.05") or a percentage ("5%"). */
/** A Redis Cluster seed: `host:port`, `[ipv6]:port`; undefined when it is not one. */
export function parseSeed(text: string): { host: string; port: number } | undefined {
  const m = /^\s*(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})\s*$/.exec(text);
  if (!m) return undefined;
  const port = Number(m[2]);
  return port >= 1 && port <= 65535 ? { host: m[1]!.replace(/^\[|\]$/g, ''), port } : undefined;
}

/** The seeds of REDIS_CLUSTER_NODES; empty when Redis is one server (REDIS_URL). */
export function clusterSeeds(config: Pick<Config, 'REDIS_CLUSTER_NODES'>): { host: string; port: number }[] {
  return config.REDIS_CLUSTER_NODES.split(',')
    .filter((s) => s.trim() !== '')
    .map((s) => parseSeed(s)!);
}

/**
 * Whether every key under this prefix hashes to one Redis Cluster slot: Redis hashes only the
 * part between the first "{" and the next "}" when it is not empty, and BullMQ's keys all start
 * with the prefix, so a tag there keeps a queue's keys (which its scripts use together) on one shard.
 */
export function hasHashTag(prefix: string): boolean {
  const open = prefix.indexOf('{');
  const close = open < 0 ? -1 : prefix.indexOf('}', open + 1);
  return close > open + 1;
}

export function parseRate(v: string | number): number | undefined {
  if (typeof v === 'number') return v >= 0 && v <= 1 ? v : undefined;
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(%?)\s*$/.exec(v);
  if (!m) return undefined;
  const n = m[2] ? Number(m[1]) / 100 : Number(m[1]);
  return n >= 0 && n <= 1 ? n : undefined;
}
/** BullMQ blocks on Redis for up to 10 s (BZPOPMIN): a socket timeout must leave it room. */
export const MIN_REDIS_SOCKET_TIMEOUT_MS = 15000;
convict.addFormat({
  name: 'redis-socket-timeout',
  validate(value: unknown) {
    if (!Number.isSafeInteger(value) || (value as number) < MIN_REDIS_SOCKET_TIMEOUT_MS)
      throw new Error(
        `must be an integer of at least ${MIN_REDIS_SOCKET_TIMEOUT_MS} (ms): BullMQ's blocking commands wait up to 10 s`,
      );
  },
  coerce: (v: string) => (/^\s*\d+\s*$/.test(v) ? Number(v) : v),
});
convict.addFormat({
  name: 'rate',
  validate(value: unknown) {
    if (typeof value !== 'number' || parseRate(value) === undefined)
      throw new Error('must be a fraction from 0 to 1 (0.05) or a percentage (5%)');
  },
  coerce: (v: string) => parseRate(v) ?? v,
});
convict.addFormat({
  name: 'true-false',
  validate(value: unknown) {
    if (typeof value !== 'boolean') throw new Error('must be true or false');
  },
  coerce: (v: string) => (/^\s*true\s*$/i.test(v) ? true : /^\s*false\s*$/i.test(v) ? false : v),
});
convict.addFormat({
  name: 'redis-url',
  validate(value: unknown) {
    if (typeof value !== 'string' || !/^rediss?:\/\/[^\s]+$/.test(value))
      throw new Error('must be a redis:// or rediss:// URL');
  },
});
convict.addFormat({
  name: 'redis-seeds',
  validate(value: unknown) {
    if (typeof value !== 'string') throw new Error('must be a comma-separated list of host:port');
    const bad = value.trim() === '' ? undefined : value.split(',').find((seed) => parseSeed(seed) === undefined);
    if (bad !== undefined)
      throw new Error(`"${bad.trim()}" is not host:port (comma-separated, e.g. 10.0.0.1:6379,10.0.0.2:6379)`);
  },
});
convict.addFormat({
  name: 'mongo-url',
  validate(value: unknown) {
    if (typeof value !== 'string' || !/^mongodb(\+srv)?:\/\/[^\s]+$/.test(value))
      throw new Error('must be a mongodb:// or mongodb+srv:// connection string');
  },
});
convict.addFormat({
  name: 'listen-host',
  validate(value: unknown) {
    // An IP address, or a host name (RFC 1123 labels; not all digits, which would be a bad IPv4).
    const hostName =
      /^(?=.{1,253}$)(?!\d+(\.\d+)*$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
    if (typeof value !== 'string' || (isIP(value) === 0 && !hostName.test(value)))
      throw new Error('must be an IP address (127.0.0.1, 0.0.0.0, ::) or a host name, without a port');
  },
});
convict.addFormat({
  name: 'db-name',
  validate(value: unknown) {
    if (typeof value !== 'string' || !/^[A-Za-z0-9_-]{1,63}$/.test(value))
      throw new Error('must be 1-63 letters, digits, "_" or "-"');
  },
});

type Schema = typeof schema;
export type Config = {
  [K in keyof Schema]: Schema[K]['default'] extends number
    ? number
    : Schema[K]['default'] extends boolean
      ? boolean
      : string;
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export interface LoadConfigOptions {
  /**
   * The connection strings of the services the command uses (default both): their passwords
   * must be real with NODE_ENV=production, and the Redis Cluster settings are checked only for
   * a command that uses Redis (db:init, which never connects to it, gives only MONGO_URL).
   */
  secrets?: ReadonlyArray<'MONGO_URL' | 'REDIS_URL'>;
}

/** Reads and validates the configuration from `env`; throws ConfigError naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, options: LoadConfigOptions = {}): Config {
  const config = convict(schema, { env, args: [] });
  try {
    config.validate({ allowed: 'strict' });
  } catch (err) {
    throw new ConfigError(`invalid configuration:\n${(err as Error).message}`);
  }
  const values = config.getProperties() as Config;
  const secrets = options.secrets ?? ['MONGO_URL', 'REDIS_URL'];
  if (secrets.includes('REDIS_URL')) refuseClusterMisfits(values);
  refuseWeakSecretsInProduction(
    values.NODE_ENV,
    Object.fromEntries(secrets.map((name) => [name, urlPassword(values[name])])),
  );
  return values;
}

/** On Redis Cluster: a hash-tagged QUEUE_PREFIX, and database 0 (the only one a cluster has). */
function refuseClusterMisfits(values: Config): void {
  if (clusterSeeds(values).length === 0) return;
  const problems: string[] = [];
  if (!hasHashTag(values.QUEUE_PREFIX))
    problems.push(
      `QUEUE_PREFIX: "${values.QUEUE_PREFIX}" has no {hash tag}, which Redis Cluster (REDIS_CLUSTER_NODES is set) ` +
        'needs to keep all the keys of a queue on one shard: set QUEUE_PREFIX={hcingest} (the same for every ' +
        'producer, worker and dashboard of the deployment)',
    );
  const db = /^rediss?:\/\/[^/?#]*\/(\d+)/.exec(values.REDIS_URL)?.[1];
  if (db !== undefined && Number(db) !== 0)
    problems.push(`REDIS_URL: database ${db} is selected, but Redis Cluster has only database 0: drop the /${db}`);
  if (problems.length > 0) throw new ConfigError(`invalid configuration:\n${problems.join('\n')}`);
}

// --- Least privilege: secrets in production, the MongoDB accounts of db:init -----------------

/** What `.env.template` puts where a password goes; refused (like an empty one) in production. */
export const PASSWORD_PLACEHOLDER = 'change-me';

/** True for a password that must not be used in production: empty, blank or the template placeholder. */
export function isWeakSecret(value: string | undefined): boolean {
  return !value || !value.trim() || /change-?me/i.test(value);
}

/** The (decoded) password of a connection string's user-info part; '' when it has none. */
export function urlPassword(url: string): string {
  const userinfo = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)@/i.exec(url)?.[1];
  const colon = userinfo?.indexOf(':') ?? -1;
  if (userinfo === undefined || colon < 0) return '';
  const raw = userinfo.slice(colon + 1);
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/**
 * With NODE_ENV=production, refuses to start when a secret is empty or still the template
 * placeholder. The message names the variables, never their values.
 */
function refuseWeakSecretsInProduction(nodeEnv: string | undefined, secrets: Record<string, string>): void {
  if (nodeEnv !== 'production') return;
  const weak = Object.entries(secrets).filter(([, value]) => isWeakSecret(value));
  if (weak.length === 0) return;
  throw new ConfigError(
    'invalid configuration:\n' +
      weak
        .map(
          ([name]) =>
            `${name}: with NODE_ENV=production the password must be set and must not be the ` +
            `.env.template placeholder "${PASSWORD_PLACEHOLDER}"`,
        )
        .join('\n'),
  );
}

convict.addFormat({
  name: 'user-name',
  validate(value: unknown) {
    if (typeof value !== 'string' || !/^[A-Za-z0-9._-]{1,64}$/.test(value))
      throw new Error('must be 1-64 letters, digits, ".", "_" or "-"');
  },
});
convict.addFormat({
  name: 'password',
  validate(value: unknown) {
    if (typeof value !== 'string' || value.length === 0) throw new Error('must be set');
  },
});

/** The three MongoDB accounts on DB_NAME that `db:init` (and the compose init script) create. */
const dbUsersSchema = {
  ADMIN_USER: {
    doc: 'MongoDB account administering DB_NAME (roles dbAdmin and userAdmin): runs db:init.',
    format: 'user-name',
    default: 'admin',
    env: 'ADMIN_USER',
  },
  ADMIN_PASS: { doc: 'Password of ADMIN_USER.', format: 'password', default: '', env: 'ADMIN_PASS', sensitive: true },
  WRITER_USER: {
    doc: 'MongoDB account of the producer and the workers (role readWrite on DB_NAME).',
    format: 'user-name',
    default: 'writer',
    env: 'WRITER_USER',
  },
  WRITER_PASS: {
    doc: 'Password of WRITER_USER.',
    format: 'password',
    default: '',
    env: 'WRITER_PASS',
    sensitive: true,
  },
  READER_USER: {
    doc: 'MongoDB account of status and the dashboard (role read on DB_NAME).',
    format: 'user-name',
    default: 'reader',
    env: 'READER_USER',
  },
  READER_PASS: {
    doc: 'Password of READER_USER.',
    format: 'password',
    default: '',
    env: 'READER_PASS',
    sensitive: true,
  },
};

export type DbUsersConfig = { [K in keyof typeof dbUsersSchema]: string };

/**
 * Reads the accounts `db:init` creates; every password is required (and, with NODE_ENV=production,
 * must not be the template placeholder). Throws ConfigError naming the variables, never the values.
 */
export function loadDbUsersConfig(env: NodeJS.ProcessEnv = process.env): DbUsersConfig {
  const config = convict(dbUsersSchema, { env, args: [] });
  try {
    config.validate({ allowed: 'strict' });
  } catch (err) {
    throw new ConfigError(`invalid configuration:\n${(err as Error).message}`);
  }
  const users = config.getProperties() as DbUsersConfig;
  const names = [users.ADMIN_USER, users.WRITER_USER, users.READER_USER];
  if (new Set(names).size !== names.length)
    throw new ConfigError(
      'invalid configuration:\nADMIN_USER, WRITER_USER and READER_USER must be three different names',
    );
  refuseWeakSecretsInProduction(env.NODE_ENV, {
    ADMIN_PASS: users.ADMIN_PASS,
    WRITER_PASS: users.WRITER_PASS,
    READER_PASS: users.READER_PASS,
  });
  return users;
}
