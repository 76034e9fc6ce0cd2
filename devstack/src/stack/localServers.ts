/**
 * npm start's own servers, under the stack folder: Redis (append-only, a password) and SecantusDB
 * (provisioned with its root account on the first start, with --auth from there on).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { shown } from '../paths.js';
import { freePort } from '../ports.js';
import { redisAnswers } from '../redisServer.js';
import { createRootAccount, mongoAnswers, secantusArgs } from '../secantusServer.js';
import { secantusdInVenv } from '../tools.js';
import { waitReady } from '../wait.js';
import type { Credentials } from './credentials.js';
import { writePrivate } from './privateFiles.js';
import { isAlive, stopAll, tail, type ProcessRecord } from './processRecord.js';
import { say } from './say.js';

/** What the servers are started through: the stack, which records them. */
export interface ServiceHost {
  readonly dir: string;
  startService(name: string, cmd: string, args: string[], env: NodeJS.ProcessEnv): ProcessRecord;
  forgetService(rec: ProcessRecord): void;
}

export interface ServerOptions {
  env: NodeJS.ProcessEnv;
  creds: Credentials;
  /** a port from the settings, else a free one */
  port?: number;
}

/** Waits until `probe` answers, or fails naming the process and the end of its log. */
async function waitStarted(what: string, probe: () => Promise<boolean>, rec: ProcessRecord): Promise<void> {
  await waitReady(`${what} (log: ${shown(rec.log)})`, probe, {
    everyMs: 150,
    givenUp: () =>
      isAlive(rec) ? undefined : `${what} exited at start-up; the end of ${shown(rec.log)}:\n${tail(rec.log)}`,
  });
}

/** Redis with the queue's data under the stack folder; returns its URL (with the password). */
export async function startLocalRedis(host: ServiceHost, o: ServerOptions): Promise<{ url: string; port: number }> {
  const port = o.port ?? (await freePort());
  // The password goes in a private config file, not on the command line (ps shows that).
  const conf = join(host.dir, 'redis.conf');
  writePrivate(
    conf,
    [
      `port ${port}`,
      'bind 127.0.0.1',
      `dir ${join(host.dir, 'redis')}`,
      // The queue survives a stop: an interrupted load resumes where it was.
      'appendonly yes',
      'appendfsync everysec',
      'save ""',
      `requirepass ${o.creds.REDIS_PASSWORD}`,
      'daemonize no',
      '',
    ].join('\n'),
  );
  const rec = host.startService('redis', 'redis-server', [conf], o.env);
  const url = `redis://:${o.creds.REDIS_PASSWORD}@127.0.0.1:${port}`;
  await waitStarted(`redis-server on port ${port}`, () => redisAnswers(url), rec);
  return { url, port };
}

/** SecantusDB with its data under the stack folder; returns the root account's URL. */
export async function startLocalSecantus(host: ServiceHost, o: ServerOptions): Promise<{ url: string; port: number }> {
  const port = o.port ?? (await freePort());
  const bin = secantusdInVenv(o.env);
  const config = join(host.dir, 'secantusd.toml');
  // An explicit (empty) config file: no secantusd.toml of the user's is picked up by accident.
  if (!existsSync(config)) writeFileSync(config, '# settings are given on the command line by npm start\n');
  const args = (auth: boolean) =>
    secantusArgs({
      port,
      storagePath: join(host.dir, 'mongo', 'data'),
      auth,
      // An oplog cap above a 1,000,000-row load: pruning at the default 100,000 entries slows
      // the inserts by a quarter (measured: 89 s against 67.5 s for 945,000 documents).
      extra: ['--config', config, '--oplog-max-entries', '2000000'],
    });
  const marker = join(host.dir, 'mongo', 'provisioned');
  if (!existsSync(marker)) {
    say('creating the local store (SecantusDB) and its root account');
    const first = host.startService('secantus', bin, args(false), o.env);
    await waitStarted(`secantusd-py on port ${port}`, () => mongoAnswers(`mongodb://127.0.0.1:${port}/`), first);
    await createRootAccount(port, { user: 'root', password: o.creds.MONGO_ROOT_PASS });
    await stopAll([first], 'SIGTERM', 20_000);
    host.forgetService(first);
    writeFileSync(marker, '');
  }
  const rec = host.startService('secantus', bin, args(true), o.env);
  const url = `mongodb://root:${o.creds.MONGO_ROOT_PASS}@127.0.0.1:${port}/?authSource=admin`;
  await waitStarted(`secantusd-py on port ${port}`, () => mongoAnswers(url), rec);
  return { url, port };
}
