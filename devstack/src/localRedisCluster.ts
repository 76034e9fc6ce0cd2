import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { killAndWait } from './killAndWait.js';
import { freePort } from './ports.js';
import { waitReady } from './wait.js';

/**
 * A local Redis Cluster (for the tests and the bench): 3 masters and 3 replicas on loopback ports, with a
 * password (requirepass and masterauth, in 0600 config files, not on command lines), made with
 * `redis-cli --cluster create`. cluster-node-timeout is 2 s, so a killed master's replica is
 * promoted within seconds; cluster-replica-validity-factor 0 lets any replica take over.
 */
export interface ClusterNode {
  port: number;
  busPort: number;
  dir: string;
  proc?: ChildProcess;
}

const NODE_TIMEOUT_MS = 2000;

export class LocalRedisCluster {
  readonly password = randomBytes(12).toString('hex');
  readonly root = mkdtempSync(join(tmpdir(), 'hc-cluster-'));
  readonly nodes: ClusterNode[] = [];

  /** REDIS_CLUSTER_NODES for this cluster (every node a seed). */
  get seeds(): string {
    return this.nodes.map((n) => `127.0.0.1:${n.port}`).join(',');
  }
  /** REDIS_URL on a cluster: the password; its host is not used. */
  get url(): string {
    return `redis://:${this.password}@127.0.0.1:${this.nodes[0]!.port}`;
  }

  async start(): Promise<void> {
    for (let i = 0; i < 6; i++) {
      const node: ClusterNode = { port: await freePort(), busPort: await freePort(), dir: join(this.root, `n${i}`) };
      mkdirSync(node.dir);
      this.nodes.push(node);
      await this.startNode(node);
    }
    const create = spawnSync(
      'redis-cli',
      [
        '--cluster',
        'create',
        ...this.nodes.map((n) => `127.0.0.1:${n.port}`),
        '--cluster-replicas',
        '1',
        '--cluster-yes',
      ],
      // The password through the environment: not on a command line other users can read.
      { encoding: 'utf8', timeout: 60_000, env: { ...process.env, REDISCLI_AUTH: this.password } },
    );
    if (create.status !== 0) throw new Error(`redis-cli --cluster create failed:\n${create.stdout}\n${create.stderr}`);
    await this.waitHealthy();
  }

  private async startNode(node: ClusterNode): Promise<void> {
    const conf = join(node.dir, 'redis.conf');
    writeFileSync(
      conf,
      [
        `port ${node.port}`,
        'bind 127.0.0.1',
        'cluster-enabled yes',
        `cluster-port ${node.busPort}`,
        'cluster-config-file nodes.conf',
        `cluster-node-timeout ${NODE_TIMEOUT_MS}`,
        'cluster-replica-validity-factor 0',
        // A replica syncs at once (Redis waits 5 s for more replicas by default): a failover in
        // that window would find it empty.
        'repl-diskless-sync-delay 0',
        `dir ${node.dir}`,
        'save ""',
        'appendonly no',
        `requirepass ${this.password}`,
        `masterauth ${this.password}`,
      ].join('\n') + '\n',
      { mode: 0o600 },
    );
    node.proc = spawn('redis-server', [conf], { stdio: 'ignore' });
    await waitReady(`redis cluster node :${node.port}`, async () => (await this.command(node, 'PING')) === 'PONG', {
      timeoutMs: 30_000,
      everyMs: 200,
    });
  }

  /** One command on one node, or undefined when it does not answer. */
  async command(node: ClusterNode, ...args: string[]): Promise<unknown> {
    const r = new Redis({
      port: node.port,
      host: '127.0.0.1',
      password: this.password,
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      connectTimeout: 1000,
    });
    r.on('error', () => undefined);
    try {
      await r.connect();
      return await r.call(args[0]!, ...args.slice(1));
    } catch {
      return undefined;
    } finally {
      r.disconnect();
    }
  }

  live(): ClusterNode[] {
    return this.nodes.filter((n) => n.proc && n.proc.exitCode === null && n.proc.signalCode === null);
  }

  /**
   * Every live node sees the cluster ok, every slot is served by a live master, and every live
   * replica's link to its master is up (it has synced).
   */
  async waitHealthy(timeoutMs = 60_000): Promise<void> {
    await waitReady(
      'the Redis Cluster to be healthy',
      async () => {
        for (const n of this.live()) {
          const info = String((await this.command(n, 'CLUSTER', 'INFO')) ?? '');
          if (!/cluster_state:ok/.test(info) || !/cluster_slots_ok:16384/.test(info)) return false;
          const repl = String((await this.command(n, 'INFO', 'replication')) ?? '');
          if (/role:slave/.test(repl) && !/master_link_status:up/.test(repl)) return false;
        }
        const live = new Set(this.live().map((n) => n.port));
        return (await this.masters()).every((m) => live.has(m.port));
      },
      { timeoutMs, everyMs: 200 },
    );
  }

  /** The masters as a live node sees them, with their slot ranges. */
  async masters(): Promise<{ port: number; id: string; slots: [number, number][] }[]> {
    const from = this.live()[0]!;
    const text = String((await this.command(from, 'CLUSTER', 'NODES')) ?? '');
    return text
      .split('\n')
      .filter((l) => {
        const flags = (l.split(' ')[2] ?? '').split(',');
        return flags.includes('master') && !flags.includes('fail') && !flags.includes('fail?');
      })
      .map((l) => {
        const f = l.split(' ');
        const port = Number(/:(\d+)@/.exec(f[1]!)?.[1]);
        const slots = f
          .slice(8)
          .filter((s) => /^\d+(-\d+)?$/.test(s))
          .map((s) => {
            const [a, b] = s.split('-').map(Number);
            return [a!, b ?? a!] as [number, number];
          });
        return { port, id: f[0]!, slots };
      })
      .filter((m) => m.slots.length > 0);
  }

  /** The node that is master of the slot of `key` (hash tags honoured, as Redis computes it). */
  async masterOfKey(key: string): Promise<ClusterNode> {
    const slot = Number(await this.command(this.live()[0]!, 'CLUSTER', 'KEYSLOT', key));
    const m = (await this.masters()).find((x) => x.slots.some(([a, b]) => slot >= a && slot <= b));
    const node = m && this.nodes.find((n) => n.port === m.port);
    if (!node) throw new Error(`no master serves slot ${slot}`);
    return node;
  }

  /** The replica of a master (the one that takes over its slots when it fails). */
  async replicaOf(master: ClusterNode): Promise<ClusterNode> {
    const text = String((await this.command(master, 'CLUSTER', 'NODES')) ?? '');
    const lines = text.split('\n').map((l) => l.split(' '));
    const masterId = lines.find((f) => (f[2] ?? '').split(',').includes('myself'))?.[0];
    const replica = lines.find((f) => (f[2] ?? '').split(',').includes('slave') && f[3] === masterId);
    const port = replica && Number(/:(\d+)@/.exec(replica[1]!)?.[1]);
    const node = this.nodes.find((n) => n.port === port);
    if (!node) throw new Error(`no replica of :${master.port}`);
    return node;
  }

  /**
   * Cuts a replica off its master's replication stream (it can no longer authenticate to it, and
   * its link is dropped), while it stays in the cluster: it falls behind, like a replica on the
   * wrong side of a partition. (SIGSTOP would not do: the kernel buffers the stream meanwhile.)
   */
  async cutReplication(replica: ClusterNode): Promise<void> {
    await this.command(replica, 'CONFIG', 'SET', 'masterauth', 'not-the-password');
    await this.command(replica, 'CLIENT', 'KILL', 'TYPE', 'master');
  }
  async healReplication(replica: ClusterNode): Promise<void> {
    await this.command(replica, 'CONFIG', 'SET', 'masterauth', this.password);
  }

  async kill(node: ClusterNode, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    await killAndWait(node.proc, signal);
  }

  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((n) => killAndWait(n.proc, 'SIGTERM')));
    rmSync(this.root, { recursive: true, force: true });
  }
}
