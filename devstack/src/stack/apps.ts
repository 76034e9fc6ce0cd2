/** The local stack's own processes: N workers (as the writer account) and the dashboard (as the reader). */
import { freePort, portIsFree } from '../ports.js';
import { waitReady } from '../wait.js';
import type { Credentials } from './credentials.js';
import { isAlive, tail } from './processRecord.js';
import { shown } from '../paths.js';
import type { Stack } from './stack.js';

export interface AppsOptions {
  /** the environment every process starts with */
  env: NodeJS.ProcessEnv;
  workers: number;
  writerEnv: Record<string, string>;
  readerEnv: Record<string, string>;
  creds: Credentials;
  /** DASHBOARD_PORT, else 3000 when free, else a free port */
  dashboardPort?: number;
}

/** Starts the workers and the dashboard, and waits for the dashboard; returns its URL. */
export async function startApps(stack: Stack, o: AppsOptions): Promise<string> {
  for (let i = 1; i <= o.workers; i++) {
    stack.startApp(`worker-${i}`, ['worker/dist/cli/worker.js'], { ...o.env, ...o.writerEnv, WORKER_HTTP_PORT: '0' });
  }
  const port = o.dashboardPort ?? ((await portIsFree(3000)) ? 3000 : await freePort());
  const dashboard = stack.startApp('dashboard', ['ops/dist/cli/dashboard.js'], {
    ...o.env,
    ...o.readerEnv,
    DASHBOARD_HOST: '127.0.0.1',
    DASHBOARD_PORT: String(port),
    DASHBOARD_AUTH: 'on',
    DASHBOARD_USER: o.creds.DASHBOARD_USER,
    DASHBOARD_PASSWORD: o.creds.DASHBOARD_PASSWORD,
  });
  const url = `http://127.0.0.1:${port}/`;
  await waitReady(`the dashboard (log: ${shown(dashboard.log)})`, async () => (await fetch(`${url}healthz`)).ok, {
    everyMs: 150,
    givenUp: () =>
      isAlive(dashboard)
        ? undefined
        : `the dashboard exited at start-up; the end of ${shown(dashboard.log)}:\n${tail(dashboard.log)}`,
  });
  return url;
}
