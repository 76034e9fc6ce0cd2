import { pino, type Logger } from 'pino';

export type { Logger };

/** Environment variables holding secrets: redacted wherever they appear as log fields. */
const SECRET_ENV_KEYS = [
  'ADMIN_PASS',
  'WRITER_PASS',
  'READER_PASS',
  'MONGO_ROOT_PASS',
  'REDIS_PASSWORD',
  'DASHBOARD_PASSWORD',
];

/**
 * Structured logs to stderr (stdout belongs to the commands' output). Patient data never
 * reaches a log call by design; redaction is the safety net for credentials.
 */
export function createLogger(name: string, level = 'info'): Logger {
  return pino(
    {
      name,
      level,
      base: { pid: process.pid, name },
      redact: {
        paths: [
          'password',
          '*.password',
          'url',
          '*.url',
          'MONGO_URL',
          'REDIS_URL',
          '*.MONGO_URL',
          '*.REDIS_URL',
          'pwd',
          '*.pwd',
          ...SECRET_ENV_KEYS,
          ...SECRET_ENV_KEYS.map((k) => `*.${k}`),
          'authorization',
          '*.authorization',
          '*.headers.authorization',
        ],
        censor: '[redacted]',
      },
      // Safety net for driver errors: a connection string with credentials inside an error's
      // message or stack is shown without them.
      serializers: { err: (err: Error) => scrubErr(pino.stdSerializers.err(err)) },
    },
    pino.destination({ fd: 2, sync: true }),
  );
}

/** Strips credentials from a connection string so it can be shown to an operator. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}

/** Strips the credentials of every connection string (`scheme://user:pass@`) found in a text. */
export function redactCredentials(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#]*@/gi, '$1***@');
}

function scrubErr<T extends { message?: unknown; stack?: unknown }>(err: T): T {
  if (typeof err.message === 'string') err.message = redactCredentials(err.message);
  if (typeof err.stack === 'string') err.stack = redactCredentials(err.stack);
  return err;
}

/** A connection error; ioredis Cluster's "all nodes failed" keeps its reason in the last node's error. */
export type ConnectionError = Error & { lastNodeError?: Error };

/** An error's first line, with the last node's reason when a Redis Cluster gave one. */
export function errorLine(err: ConnectionError): string {
  const first = (e: Error) => e.message.split('\n')[0]!.replace(/\.$/, '');
  return err.lastNodeError ? `${first(err)}: ${first(err.lastNodeError)}` : first(err);
}

/**
 * An error listener for a connection that keeps reconnecting: logs the error's first line, at
 * most once per distinct message every `everyMs`, instead of a stack per attempt (and never the
 * command with its arguments, which for Redis AUTH would hold the password).
 */
export function rateLimitedErrors(
  log: Logger,
  msg: string,
  { everyMs = 30_000, level = 'error' }: { everyMs?: number; level?: 'error' | 'warn' } = {},
): (err: ConnectionError) => void {
  let last = { text: '', at: 0 };
  return (err: ConnectionError) => {
    const text = redactCredentials(`${err.name}: ${errorLine(err)}`.slice(0, 500));
    if (text === last.text && Date.now() - last.at < everyMs) return;
    last = { text, at: Date.now() };
    log[level]({ error: text }, msg);
  };
}
