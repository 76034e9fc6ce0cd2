import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import type { AppViewRoute } from '@bull-board/api/typings/app';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import type { Express, NextFunction, Request, RequestHandler, Response } from 'express';
import type { ChunkJobData, ChunkQueue } from '@hcingest/shared';

/**
 * What bull-board shows of a chunk job's data: where the chunk is, never its records (they are
 * patient rows). Editing or adding jobs from this summary would make broken chunks, so those two
 * actions are refused (see `refuseDataActions`).
 */
export function chunkJobSummary(data: unknown): Record<string, unknown> {
  const d = (data ?? {}) as Partial<ChunkJobData>;
  return {
    loadId: d.loadId,
    chunk: d.chunk,
    firstRow: d.firstRow,
    records: d.rows,
    bytes: typeof d.text === 'string' ? Buffer.byteLength(d.text) : undefined,
    note: 'the records are not shown (patient data)',
  };
}

/** Refuses bull-board's "add job" and "update job data" API calls: chunk jobs come from enqueue only. */
export const refuseDataActions: RequestHandler = (req, res, next) => {
  const path = req.path;
  if (
    (req.method === 'POST' && /^\/api\/queues\/[^/]+\/add\/?$/.test(path)) ||
    /^\/api\/queues\/[^/]+\/[^/]+\/update-data\/?$/.test(path)
  ) {
    res
      .status(403)
      .json({ error: 'chunk jobs are created by enqueue only; their data cannot be added or edited here' });
    return;
  }
  next();
};

/** An `href`/`src` that leaves the dashboard: an absolute URL with a host (`https://…`, `//…`). */
const EXTERNAL = String.raw`\s(?:href|src)\s*=\s*["']?(?:[a-z][a-z0-9+.-]*:)?//`;
const EXTERNAL_LINK = new RegExp(String.raw`<link\b[^>]*${EXTERNAL}[^>]*>`, 'gi');
const EXTERNAL_SCRIPT = new RegExp(String.raw`<script\b[^>]*${EXTERNAL}[^>]*>\s*</script>`, 'gi');

/**
 * bull-board's page without the elements that load something from another host. Its template
 * links Google Fonts (IBM Plex), which an offline or firewalled browser cannot reach (and which
 * would tell Google who opens the board); its stylesheet falls back to system fonts. Everything
 * else it loads comes from the package's own `static/` files, served by the board.
 */
export function withoutExternalResources(html: string): string {
  return html.replace(EXTERNAL_LINK, '').replace(EXTERNAL_SCRIPT, '');
}

/**
 * Content-Security-Policy of bull-board's page: nothing from another host, whatever a later
 * version of the package references. Inline styles are allowed (its template and React use them).
 */
export const BOARD_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "font-src 'self' data:; connect-src 'self'; worker-src 'self'; base-uri 'self'; form-action 'self'; " +
  "frame-ancestors 'none'";

/**
 * The express adapter of bull-board, rendering its page from the package's own template (so the
 * hashed asset names stay those of the installed version) minus the external resources.
 */
class LocalAssetsExpressAdapter extends ExpressAdapter {
  override setEntryRoute(routeDef: AppViewRoute): ExpressAdapter {
    const render = (_req: Request, res: Response, next: NextFunction) => {
      const { name, params } = routeDef.handler({ basePath: this.basePath, uiConfig: this.uiConfig });
      res.render(name, params, (err: Error | null, html: string) => {
        if (err) return next(err);
        res.set('Content-Security-Policy', BOARD_CSP).type('html').send(withoutExternalResources(html));
      });
    };
    const routes = Array.isArray(routeDef.route) ? routeDef.route : [routeDef.route];
    for (const route of routes) this.app[routeDef.method](route, render);
    return this;
  }
}

/** Mounts bull-board on the chunk queue at `basePath`; its actions are hidden when read-only. */
export function mountQueues(app: Express, basePath: string, queue: ChunkQueue, readOnly: boolean): void {
  const serverAdapter = new LocalAssetsExpressAdapter();
  serverAdapter.setBasePath(basePath);
  const adapter = new BullMQAdapter(queue as unknown as Queue, {
    readOnlyMode: readOnly,
    allowRetries: !readOnly,
    displayName: 'chunks',
    description: 'Chunk jobs of the loads (records hidden)',
  });
  adapter.setFormatter('data', chunkJobSummary);
  createBullBoard({
    queues: [adapter],
    serverAdapter,
    options: { uiConfig: { boardTitle: 'hcingest', hideDocsLink: true, miscLinks: [{ text: 'Loads', url: '/' }] } },
  });
  app.use(basePath, refuseDataActions, serverAdapter.getRouter() as RequestHandler);
}
