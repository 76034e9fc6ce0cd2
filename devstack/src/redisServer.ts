import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { killAndWait, SERVER_STOP_GRACE_MS } from './killAndWait.js';
import { findBinary } from './tools.js';
import { waitReady } from './wait.js';

/** Redis's readiness probe: whether the server at `url` answers PING (one short-lived connection). */
export async function redisAnswers(url: string): Promise<boolean> {
  const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  r.on('error', () => undefined);
  try {
    await r.connect();
    return (await r.ping()) === 'PONG';
  } finally {
    r.disconnect();
  }
}

/** A private redis-server on a port of 127.0.0.1, its data in a temporary folder, no persistence. */
export class RedisServer {
  private proc?: ChildProcess;
  readonly dir = mkdtempSync(join(tmpdir(), 'hc-redis-'));
  constructor(readonly port: number) {}
  get url() {
    return `redis://127.0.0.1:${this.port}`;
  }
  async start(extraArgs: string[] = []): Promise<void> {
    const bin = findBinary(['/usr/bin/redis-server'], 'redis-server');
    const args = [
      '--port',
      String(this.port),
      '--bind',
      '127.0.0.1',
      '--dir',
      this.dir,
      '--save',
      '',
      '--appendonly',
      'no',
      ...extraArgs,
    ];
    this.proc = spawn(bin, args, { stdio: 'ignore' });
    await waitReady('redis-server', () => redisAnswers(this.url), { timeoutMs: 30_000 });
  }
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    await killAndWait(this.proc, signal, SERVER_STOP_GRACE_MS);
    this.proc = undefined;
  }
  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
