import { readFileSync } from 'node:fs';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import {
  type Readiness,
  redactCredentials,
  type Logger,
  type ChunkQueue,
  isTransientMongoError,
} from '@hcingest/shared';
import { basicAuth } from './auth.js';
import { DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT, type LoadsReader } from './loadsReader.js';
import type { DashboardMetrics } from './dashboardMetrics.js';
import { LOADS_CSS, LOADS_HTML } from './page.js';
import type { ConcurrencyView } from './concurrency.js';
import { mountQueues } from './queues.js';
import type { DashboardSettings } from './dashboardSettings.js';

export interface DashboardDeps {
  settings: DashboardSettings;
  loads: LoadsReader;
  metrics: DashboardMetrics;
  queue: ChunkQueue;
  /** the chunks-in-flight limit and its history (GLOBAL_CONCURRENCY) */
  concurrency: () => Promise<ConcurrencyView>;
  readiness: () => Promise<Readiness>;
  log: Logger;
}

/** Content-Security-Policy of the loads page (bull-board serves its own UI): nothing but its own files. */
const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * The loads page's script: public/loads.js, type-checked and emitted by the build next to this
 * module (public/tsconfig.json).
 */
const LOADS_SCRIPT = new URL('./public/loads.js', import.meta.url);

const securityHeaders: RequestHandler = (_req, res, next) => {
  res.set({
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
  });
  next();
};

const noStore: RequestHandler = (_req, res, next) => {
  res.set('Cache-Control', 'no-store');
  next();
};

/**
 * The dashboard's routes. Without auth: /healthz, /readyz and /metrics (for orchestrators and
 * Prometheus; they hold no patient data). Behind basic auth (unless DASHBOARD_AUTH=off): the
 * loads page (/), its JSON (/api/loads, /api/loads/:id) and bull-board (/queues).
 */
export function createDashboardApp(deps: DashboardDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders);
  app.use(requestLog(deps.log));
  mountProbes(app, deps);
  if (deps.settings.credentials) app.use(basicAuth(deps.settings.credentials));
  mountLoadsApi(app, deps);
  mountQueues(app, '/queues', deps.queue, deps.settings.readOnly);
  mountLoadsPage(app);
  app.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });
  app.use(errorHandler(deps.log));
  return app;
}

/** Logs each request at debug level, with its status and time. */
function requestLog(log: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () =>
      log.debug(
        {
          method: req.method,
          path: req.path,
          status: res.statusCode,
          ms: Number(process.hrtime.bigint() - started) / 1e6,
        },
        'request',
      ),
    );
    next();
  };
}

/** /healthz, /readyz and /metrics, and the favicon: mounted before the auth, they hold no patient data. */
function mountProbes(app: Express, { readiness, metrics }: DashboardDeps): void {
  app.get('/healthz', noStore, (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/readyz', noStore, async (_req, res) => {
    const r = await readiness();
    for (const check of Object.values(r.checks)) if (check.error) check.error = redactCredentials(check.error);
    res.status(r.ready ? 200 : 503).json(r);
  });
  app.get('/metrics', noStore, async (_req, res) => {
    const { contentType, body } = await metrics.render();
    // As prom-client gives it (express would reorder the parameters).
    res.setHeader('Content-Type', contentType);
    res.end(body);
  });
  app.get('/favicon.ico', (_req, res) => {
    res.status(204).end();
  });
}

/** The loads page's JSON: the latest loads with the chunks-in-flight limit, and one load. */
function mountLoadsApi(app: Express, { loads, concurrency }: DashboardDeps): void {
  app.get('/api/loads', noStore, async (req, res) => {
    const raw = typeof req.query.limit === 'string' ? req.query.limit : undefined;
    const limit = raw === undefined ? DEFAULT_LIST_LIMIT : Number(raw);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) {
      res.status(400).json({ error: `limit must be an integer in 1..${MAX_LIST_LIMIT}` });
      return;
    }
    const [list, inFlight] = await Promise.all([loads.list(limit), concurrency()]);
    res.json({ loads: list, concurrency: inFlight, at: new Date().toISOString() });
  });
  app.get('/api/loads/:id', noStore, async (req, res) => {
    const id = req.params.id;
    const view = typeof id === 'string' ? await loads.get(id) : null;
    if (!view) {
      res.status(404).json({ error: 'no such load' });
      return;
    }
    res.json(view);
  });
}

/** The loads page (/) under its Content-Security-Policy, its script and its stylesheet. */
function mountLoadsPage(app: Express): void {
  const script = readFileSync(LOADS_SCRIPT, 'utf8');
  app.get('/', noStore, (_req, res) => {
    res.set('Content-Security-Policy', PAGE_CSP).type('html').send(LOADS_HTML);
  });
  app.get('/assets/loads.js', noStore, (_req, res) => {
    res.type('text/javascript').send(script);
  });
  app.get('/assets/loads.css', noStore, (_req, res) => {
    res.type('text/css').send(LOADS_CSS);
  });
}

/** A failed request: 503 while MongoDB is unreachable, 500 otherwise, logged without credentials. */
function errorHandler(log: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const unavailable = isTransientMongoError(err);
    log.error(
      { path: req.path, error: redactCredentials(err instanceof Error ? `${err.name}: ${err.message}` : String(err)) },
      'request failed',
    );
    if (res.headersSent) return;
    res
      .status(unavailable ? 503 : 500)
      .json({ error: unavailable ? 'the database is unavailable, retry later' : 'internal error' });
  };
}
