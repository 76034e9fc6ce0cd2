import { createServer, type Server } from 'node:http';
import type { Readiness } from '@hcingest/shared';

export interface HealthRoutes {
  /** extra routes (e.g. /metrics), answered with their content type */
  extra?: Record<string, () => Promise<{ contentType: string; body: string }>>;
  readiness: () => Promise<Readiness>;
}

/**
 * The worker's HTTP face for orchestrators: /healthz (the process is alive), /readyz (Redis and
 * MongoDB answer; 503 during an outage), and extra routes such as /metrics.
 */
export async function startHealthServer(port: number, routes: HealthRoutes): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const send = (status: number, contentType: string, body: string) => {
      res.writeHead(status, { 'content-type': contentType });
      res.end(body);
    };
    void (async () => {
      try {
        if (path === '/healthz') return send(200, 'application/json', JSON.stringify({ ok: true }));
        if (path === '/readyz') {
          const r = await routes.readiness();
          return send(r.ready ? 200 : 503, 'application/json', JSON.stringify(r));
        }
        const extra = routes.extra?.[path];
        if (extra) {
          const { contentType, body } = await extra();
          return send(200, contentType, body);
        }
        send(404, 'application/json', JSON.stringify({ error: 'not found' }));
      } catch (err) {
        send(500, 'application/json', JSON.stringify({ error: err instanceof Error ? err.message : String(err) }));
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => resolve());
  });
  return server;
}
