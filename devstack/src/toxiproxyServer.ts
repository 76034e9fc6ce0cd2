import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { killAndWait } from './killAndWait.js';
import { freePort } from './ports.js';
import { toxiproxyBin } from './tools.js';
import { waitReady } from './wait.js';

/**
 * Network partitions (the fault tests'): a Toxiproxy server (the one `npm run setup -- --for test`
 * installs) and a small client of its HTTP API. A test routes one process's connections through a
 * proxy by giving it REDIS_URL / MONGO_URL rewritten to the proxy's port, then cuts, hangs and
 * heals that process's links alone while every other process keeps direct connections.
 *
 * Toxiproxy 2.5.0's behaviour, as checked on this binary (not assumed):
 *  - cut() (the proxy disabled) closes the connections through it at once and refuses new ones
 *    (ECONNREFUSED); heal() accepts them again.
 *  - hang() (a `timeout` toxic with timeout 0, both directions) drops every byte on the ground and
 *    closes nothing: the client's socket stays open and silent, and a new connection is accepted
 *    (TCP) but as silent. Nothing sent meanwhile is ever delivered.
 *  - unhang() (the toxics removed) closes the connections that were hung (the client sees a FIN),
 *    so a client never resumes a conversation whose bytes were dropped; new ones flow.
 */

/** One proxy: listens on 127.0.0.1:port and forwards to its upstream. */
export class Proxy {
  private readonly hung: string[] = [];
  constructor(
    private readonly api: ToxiproxyServer,
    readonly name: string,
    readonly port: number,
  ) {}

  /** The link goes down: connections through it are closed, new ones refused. */
  async cut(): Promise<void> {
    await this.api.request('POST', `/proxies/${this.name}`, { enabled: false });
  }

  /** The link is back (after cut()). */
  async heal(): Promise<void> {
    await this.api.request('POST', `/proxies/${this.name}`, { enabled: true });
  }

  /** Silent hang: no byte flows either way, nothing is closed or reset. */
  async hang(): Promise<void> {
    for (const stream of ['upstream', 'downstream'] as const) {
      const name = `hang_${stream}`;
      await this.api.request('POST', `/proxies/${this.name}/toxics`, {
        name,
        type: 'timeout',
        stream,
        toxicity: 1,
        attributes: { timeout: 0 },
      });
      this.hung.push(name);
    }
  }

  /** Ends hang(): Toxiproxy closes the hung connections; new ones flow. */
  async unhang(): Promise<void> {
    while (this.hung.length > 0) await this.api.request('DELETE', `/proxies/${this.name}/toxics/${this.hung.pop()!}`);
  }
}

/** A toxiproxy-server on a free port of 127.0.0.1, with its own proxies. */
export class ToxiproxyServer {
  private proc?: ChildProcess;
  private log = '';
  private constructor(readonly port: number) {}

  static async start(): Promise<ToxiproxyServer> {
    const bin = toxiproxyBin();
    if (!existsSync(bin))
      throw new Error(`${bin} not found: run npm run setup -- --for test (or set TOXIPROXY_BIN to a toxiproxy-server)`);
    const server = new ToxiproxyServer(await freePort());
    const proc = spawn(bin, ['-host', '127.0.0.1', '-port', String(server.port)], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    proc.stderr!.on('data', (d: Buffer) => (server.log = (server.log + d.toString()).slice(-4000)));
    server.proc = proc;
    try {
      await waitReady('toxiproxy-server', () => server.request('GET', '/version').then(() => true), {
        timeoutMs: 15_000,
        givenUp: () => (proc.exitCode === null ? undefined : `exit ${proc.exitCode}`),
      });
    } catch (err) {
      await server.stop();
      throw new Error(`toxiproxy-server did not start (${(err as Error).message}): ${server.log}`);
    }
    return server;
  }

  /** A proxy to `upstream` (host:port) on a free port. */
  async proxy(name: string, upstream: string): Promise<Proxy> {
    const port = await freePort();
    await this.request('POST', '/proxies', { name, listen: `127.0.0.1:${port}`, upstream, enabled: true });
    return new Proxy(this, name, port);
  }

  async request(method: string, path: string, body?: unknown): Promise<unknown> {
    const res = await fetch(`http://127.0.0.1:${this.port}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(5000),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`toxiproxy ${method} ${path}: ${res.status} ${text}`);
    return res.headers.get('content-type')?.includes('json') && text ? (JSON.parse(text) as unknown) : text;
  }

  async stop(): Promise<void> {
    await killAndWait(this.proc, 'SIGTERM');
    this.proc = undefined;
  }
}
