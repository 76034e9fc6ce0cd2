import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkReadiness, type Logger, openConnections } from '@hcingest/shared';
import type { DashboardConfig } from '../settings/dashboardSchema.js';
import { createDashboardApp } from './app.js';
import { watchChunkEvents } from './chunkEvents.js';
import { readConcurrency } from './concurrency.js';
import { LoadsReader } from './loadsReader.js';
import { DashboardMetrics } from './dashboardMetrics.js';
import { dashboardSettings } from './dashboardSettings.js';

export interface RunningDashboard {
  /** the address the server listens on (DASHBOARD_HOST, resolved when it is a host name) */
  address: string;
  port: number;
  close(): Promise<void>;
}

/** Time given to open requests (a browser's keep-alive, a slow scrape) when the dashboard stops. */
const CLOSE_GRACE_MS = 3000;

/**
 * Starts the dashboard: checks its settings (before connecting to anything), connects to MongoDB
 * with whatever MONGO_URL it is given (the reader account in compose; it never writes, and
 * creates no indexes) and to Redis, and serves on DASHBOARD_HOST:DASHBOARD_PORT.
 */
export async function startDashboard(config: DashboardConfig, log: Logger): Promise<RunningDashboard> {
  const settings = dashboardSettings(config);
  if (!settings.credentials) log.warn('DASHBOARD_AUTH=off: the dashboard is served without authentication');
  const conn = await openConnections(config, 'hcingest-dashboard');
  const metrics = new DashboardMetrics(conn.store, conn.queue);
  const events = watchChunkEvents(config, metrics, log);
  const app = createDashboardApp({
    settings,
    loads: new LoadsReader(conn.store, conn.queue),
    metrics,
    queue: conn.queue,
    concurrency: () => readConcurrency(conn.queue, conn.redis),
    readiness: () => checkReadiness(conn.redis, conn.store.client),
    log,
  });
  let server: Server;
  try {
    server = await new Promise<Server>((resolve, reject) => {
      const s = app.listen(settings.port, settings.host);
      s.once('listening', () => resolve(s));
      s.once('error', reject);
    });
  } catch (err) {
    await events.close();
    await conn.close();
    throw err;
  }
  const { address, port } = server.address() as AddressInfo;
  log.info(
    {
      host: settings.host,
      address,
      port,
      auth: settings.credentials ? 'basic' : 'off',
      readOnly: settings.readOnly,
      queue: config.QUEUE_NAME,
    },
    'dashboard ready',
  );
  return {
    address,
    port,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
      await closed;
      clearTimeout(timer);
      await events.close();
      await conn.close();
    },
  };
}
