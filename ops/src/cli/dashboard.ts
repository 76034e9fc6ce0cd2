#!/usr/bin/env node
import { startDashboard } from '../dashboard/server.js';
import { dashboardSchema } from '../settings/dashboardSchema.js';
import { command, EXIT, runCli } from '@hcingest/shared';

command('dashboard')
  .description(
    'Serves the operations dashboard on DASHBOARD_HOST:DASHBOARD_PORT (default 127.0.0.1:3000: this\n' +
      'host only; 0.0.0.0 for every interface), with HTTP basic auth\n' +
      '(DASHBOARD_USER, DASHBOARD_PASSWORD) on every page but /healthz, /readyz and /metrics.\n' +
      'Without a password it refuses to start, unless DASHBOARD_AUTH=off. It only reads MongoDB.',
  )
  .addHelpText(
    'after',
    '\nPages:\n' +
      '  /                  the loads: state, progress, throughput, rejects by reason, failed chunks (live)\n' +
      '  /api/loads         the same as JSON (newest first; ?limit=N, default 50)\n' +
      '  /api/loads/<id>    one load (404 when there is none)\n' +
      '  /queues            bull-board on the chunk queue (actions hidden with DASHBOARD_READ_ONLY=true)\n' +
      '  /healthz /readyz   liveness; readiness (Redis and MongoDB answer), 503 otherwise\n' +
      '  /metrics           Prometheus metrics\n' +
      '\nRuns until SIGTERM/SIGINT. Exit codes: 0 stopped, 1 error (the address or port cannot be listened on,\n' +
      'a server unreachable at start-up), 2 settings refused.',
  )
  .showHelpAfterError()
  .parse();

await runCli(
  'dashboard',
  async (config, log) => {
    const dashboard = await startDashboard(config, log);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
    log.info('dashboard stopping');
    await dashboard.close();
    return EXIT.ok;
  },
  { schema: dashboardSchema },
);
