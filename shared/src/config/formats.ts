import { isIP } from 'node:net';
import convict from 'convict';
import { parseSeed } from './clusterSeeds.js';
import { parseRate } from './rate.js';

/**
 * The value formats of every process's settings, registered with convict once (on import): a
 * schema names them in `format`. Each message says what the value must be; convict prefixes it
 * with the variable.
 */

/** BullMQ blocks on Redis for up to 10 s (BZPOPMIN): a socket timeout must leave it room. */
export const MIN_REDIS_SOCKET_TIMEOUT_MS = 15000;

/** GLOBAL_CONCURRENCY as "auto" or the pinned number; undefined when it is neither. */
export function globalConcurrencyOf(value: unknown): 'auto' | number | undefined {
  if (typeof value !== 'string') return undefined;
  if (value.trim().toLowerCase() === 'auto') return 'auto';
  const n = /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  return Number.isSafeInteger(n) && n >= 1 ? n : undefined;
}

const integer = (v: string) => (/^\s*\d+\s*$/.test(v) ? Number(v) : v);
// An IP address, or a host name (RFC 1123 labels; not all digits, which would be a bad IPv4).
const HOST_NAME =
  /^(?=.{1,253}$)(?!\d+(\.\d+)*$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** Throws `message` unless `ok`. */
function check(ok: boolean, message: string): void {
  if (!ok) throw new Error(message);
}

const formats: convict.Format[] = [
  {
    name: 'positive-int',
    validate: (v: unknown) => check(Number.isSafeInteger(v) && (v as number) >= 1, 'must be a positive integer'),
    coerce: integer,
  },
  {
    name: 'global-concurrency',
    validate: (v: unknown) => check(globalConcurrencyOf(v) !== undefined, 'must be "auto" or a positive integer'),
  },
  {
    name: 'redis-socket-timeout',
    validate: (v: unknown) =>
      check(
        Number.isSafeInteger(v) && (v as number) >= MIN_REDIS_SOCKET_TIMEOUT_MS,
        `must be an integer of at least ${MIN_REDIS_SOCKET_TIMEOUT_MS} (ms): BullMQ's blocking commands wait up to 10 s`,
      ),
    coerce: integer,
  },
  {
    name: 'rate',
    validate: (v: unknown) =>
      check(
        typeof v === 'number' && parseRate(v) !== undefined,
        'must be a fraction from 0 to 1 (0.05) or a percentage (5%)',
      ),
    coerce: (v: string) => parseRate(v) ?? v,
  },
  {
    name: 'true-false',
    validate: (v: unknown) => check(typeof v === 'boolean', 'must be true or false'),
    coerce: (v: string) => (/^\s*true\s*$/i.test(v) ? true : /^\s*false\s*$/i.test(v) ? false : v),
  },
  {
    name: 'redis-url',
    validate: (v: unknown) =>
      check(typeof v === 'string' && /^rediss?:\/\/[^\s]+$/.test(v), 'must be a redis:// or rediss:// URL'),
  },
  {
    name: 'redis-seeds',
    validate(v: unknown) {
      check(typeof v === 'string', 'must be a comma-separated list of host:port');
      const text = v as string;
      const bad = text.trim() === '' ? undefined : text.split(',').find((seed) => parseSeed(seed) === undefined);
      if (bad !== undefined)
        throw new Error(`"${bad.trim()}" is not host:port (comma-separated, e.g. 10.0.0.1:6379,10.0.0.2:6379)`);
    },
  },
  {
    name: 'mongo-url',
    validate: (v: unknown) =>
      check(
        typeof v === 'string' && /^mongodb(\+srv)?:\/\/[^\s]+$/.test(v),
        'must be a mongodb:// or mongodb+srv:// connection string',
      ),
  },
  {
    name: 'listen-host',
    validate: (v: unknown) =>
      check(
        typeof v === 'string' && (isIP(v) !== 0 || HOST_NAME.test(v)),
        'must be an IP address (127.0.0.1, 0.0.0.0, ::) or a host name, without a port',
      ),
  },
  {
    name: 'db-name',
    validate: (v: unknown) =>
      check(typeof v === 'string' && /^[A-Za-z0-9_-]{1,63}$/.test(v), 'must be 1-63 letters, digits, "_" or "-"'),
  },
  {
    name: 'user-name',
    validate: (v: unknown) =>
      check(typeof v === 'string' && /^[A-Za-z0-9._-]{1,64}$/.test(v), 'must be 1-64 letters, digits, ".", "_" or "-"'),
  },
  {
    name: 'password',
    validate: (v: unknown) => check(typeof v === 'string' && v.length > 0, 'must be set'),
  },
];

convict.addFormats(Object.fromEntries(formats.map((f) => [f.name!, f])));
