/**
 * A Docker API pass-through between Docker Compose and podman 4.3's Docker-compatible service,
 * mending two of podman's answers (both fixed in later podman releases). The first: podman 4.x reports a container's network by name where Docker reports the
 * network's ID (`NetworkSettings.Networks.<name>.NetworkID`, podman issue #24910, fixed in later
 * podman). Compose compares that field with the network's ID to decide whether a running container
 * is still what the compose file describes; with podman's answer every `compose up` and every
 * `compose run` recreated every running container it depends on (mongo and redis restarted under
 * a load by a `run --rm status`). The second: the exit code of `compose run --rm` (mendedPath
 * below). Docker behaves as this proxy makes podman behave; nothing else is changed: every other
 * request and answer, including attached streams, passes through as is.
 *
 * Run as its own process: `node dockerApiProxy.js <listen socket> <podman socket>`.
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect } from 'node:net';
import { rmSync } from 'node:fs';

const [listenPath, upstreamPath] = process.argv.slice(2);
if (!listenPath || !upstreamPath) {
  process.stderr.write('usage: dockerApiProxy <listen socket> <podman socket>\n');
  process.exit(2);
}

/** POST /containers/{id}/wait?…condition=removed… */
const WAIT = /^(?:\/v[\d.]+)?\/containers\/[^/]+\/wait\?(?:.*&)?condition=removed(?:&|$)/;

/** GET /containers/json and GET /containers/{id}/json, with or without an API version prefix. */
const CONTAINER_LISTING = /^(?:\/v[\d.]+)?\/containers\/(?:json|[^/]+\/json)(?:\?|$)/;

interface NetworkEntry {
  NetworkID?: string;
}
interface ContainerDoc {
  NetworkSettings?: { Networks?: Record<string, NetworkEntry> | null } | null;
}

function upstreamJson<T>(path: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: upstreamPath, path, method: 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as T);
        } catch (err) {
          reject(err as Error);
        }
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Network name → ID, as podman lists them now. */
async function networkIds(): Promise<Map<string, string>> {
  const networks = await upstreamJson<{ Name: string; Id: string }[]>('/networks');
  return new Map(networks.map((n) => [n.Name, n.Id]));
}

function mendContainer(doc: ContainerDoc, ids: Map<string, string>): void {
  for (const [name, entry] of Object.entries(doc.NetworkSettings?.Networks ?? {})) {
    const id = ids.get(name);
    if (id && entry && entry.NetworkID === name) entry.NetworkID = id;
  }
}

async function mended(body: Buffer): Promise<Buffer> {
  const parsed = JSON.parse(body.toString('utf8')) as ContainerDoc | ContainerDoc[];
  const ids = await networkIds();
  for (const doc of Array.isArray(parsed) ? parsed : [parsed]) mendContainer(doc, ids);
  return Buffer.from(JSON.stringify(parsed));
}

/**
 * `POST /containers/{id}/wait?condition=removed`, which compose sends for `run --rm` before it
 * starts the container, answers exit code 0 on podman 4.3 whatever the container's exit code
 * (podman issue #18889, fixed in 4.6 by waiting for the exit instead): asked as `next-exit`, the
 * wait answers the container's real exit code, which is what Docker answers for `removed`.
 */
function mendedPath(method: string | undefined, url: string): string {
  if (method === 'POST' && WAIT.test(url)) return url.replace('condition=removed', 'condition=next-exit');
  return url;
}

function forward(req: IncomingMessage, res: ServerResponse): void {
  const mend = req.method === 'GET' && CONTAINER_LISTING.test(req.url ?? '');
  const upstream = request(
    {
      socketPath: upstreamPath,
      path: mendedPath(req.method, req.url ?? '/'),
      method: req.method,
      headers: req.headers,
    },
    (answer) => {
      if (!mend || answer.statusCode !== 200) {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        // At once: a client may wait for the headers alone (POST /containers/{id}/wait answers
        // them when the wait is registered, the body when the container ends).
        res.flushHeaders();
        answer.pipe(res);
        return;
      }
      const chunks: Buffer[] = [];
      answer.on('data', (c: Buffer) => chunks.push(c));
      answer.on('end', () => {
        mended(Buffer.concat(chunks))
          .catch(() => Buffer.concat(chunks))
          .then(
            (body) => {
              const headers = { ...answer.headers, 'content-length': String(body.length) };
              delete headers['transfer-encoding'];
              res.writeHead(200, headers);
              res.end(body);
            },
            () => res.destroy(),
          );
      });
    },
  );
  upstream.on('error', (err) => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(`docker API proxy: ${err.message}\n`);
  });
  req.pipe(upstream);
}

const server = createServer(forward);
server.keepAliveTimeout = 0;
server.requestTimeout = 0;
server.headersTimeout = 0;

// Attach (`compose run`, logs of an attached container) upgrades the connection to a raw stream:
// the request goes up as it came, and the two sockets are joined.
server.on('upgrade', (req: IncomingMessage, socket, head: Buffer) => {
  const up = connect(upstreamPath, () => {
    const lines = [`${req.method} ${req.url} HTTP/${req.httpVersion}`];
    for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
    up.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (head.length) up.write(head);
    up.pipe(socket);
    socket.pipe(up);
  });
  const close = () => {
    up.destroy();
    socket.destroy();
  };
  up.on('error', close);
  socket.on('error', close);
  up.on('close', () => socket.end());
  socket.on('close', () => up.end());
});

rmSync(listenPath, { force: true });
server.listen(listenPath, () => process.stdout.write('listening\n'));
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    server.close();
    rmSync(listenPath, { force: true });
    process.exit(0);
  });
}
