import { randomBytes } from 'node:crypto';
import { createAccounts } from '@hcingest/devstack';

/**
 * The settings of one load: a database and a queue of its own, and the database's writer account
 * (made by the real db:init), which the worker and the producer use in production.
 */
export function loadEnv(label: string, mongoRoot: string, extra: Record<string, string>): NodeJS.ProcessEnv {
  const tag = `${label}_${randomBytes(3).toString('hex')}`;
  const secret = (name: string) => `${name}-${randomBytes(9).toString('hex')}`;
  const { writer } = createAccounts({
    env: process.env,
    creds: { ADMIN_PASS: secret('adm'), WRITER_PASS: secret('wrt'), READER_PASS: secret('rdr') },
    mongoRoot,
    ownMongo: true,
    dbName: `t_${tag}`,
  });
  return {
    QUEUE_NAME: `q_${tag}`,
    LOG_LEVEL: 'warn',
    POLL_INTERVAL_MS: '200',
    JOB_BACKOFF_MS: '200',
    WORKER_HTTP_PORT: '0',
    ...extra,
    ...writer,
  };
}
