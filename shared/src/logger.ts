import { pino, type Logger } from 'pino';

export type { Logger };

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
        paths: ['password', '*.password', 'url', '*.url', 'MONGO_URL', 'REDIS_URL', '*.MONGO_URL', '*.REDIS_URL'],
        censor: '[redacted]',
      },
    },
    pino.destination({ fd: 2, sync: true }),
  );
}

/** Strips credentials from a connection string so it can be shown to an operator. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}
