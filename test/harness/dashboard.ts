import { isIPv6 } from 'node:net';
import { killAndWait, freePort } from './services.js';
import { SCRIPTS, startProcess, waitUntil, type Background } from './processes.js';

export interface DashboardProcess {
  port: number;
  /** http://<DASHBOARD_HOST, or 127.0.0.1 when it is unset or every interface>:<port> */
  url: string;
  /** the "dashboard ready" log line */
  ready: { host: string; address: string; port: number };
  bg: Background;
  /** GET with the dashboard's credentials (or the ones given; null for none) */
  get(path: string, auth?: { user: string; password: string } | null): Promise<Response>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export const DASHBOARD_CREDENTIALS = { user: 'ops', password: 'Dash-board-S3cret' };

export function basicHeader(auth: { user: string; password: string }): string {
  return `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString('base64')}`;
}

/**
 * Starts `npm run dashboard` (the compiled CLI) on a free port with DASHBOARD_CREDENTIALS, or the
 * settings in `extra`, and resolves once it logged "dashboard ready" (DASHBOARD_HOST is left to
 * the default unless `env` or `extra` sets it).
 */
export async function startDashboardProcess(
  env: NodeJS.ProcessEnv,
  extra: NodeJS.ProcessEnv = {},
): Promise<DashboardProcess> {
  const port = await freePort();
  const bg = await startProcess(SCRIPTS.dashboard, [], {
    ...env,
    LOG_LEVEL: 'info',
    DASHBOARD_PORT: String(port),
    DASHBOARD_USER: DASHBOARD_CREDENTIALS.user,
    DASHBOARD_PASSWORD: DASHBOARD_CREDENTIALS.password,
    // The code's default unless the test sets it, not whatever the shell running the tests has.
    DASHBOARD_HOST: env.DASHBOARD_HOST,
    ...extra,
  });
  let exited = false;
  void bg.done.then(() => (exited = true));
  const ready = (await waitUntil(
    'the dashboard to be ready',
    () => {
      if (exited) throw new Error(`dashboard exited before ready:\n${bg.stderr()}`);
      // A complete log line (the newline written), so that it parses.
      const line = /^.*"dashboard ready".*$/m.exec(bg.stderr().split('\n').slice(0, -1).join('\n'))?.[0];
      return line ? (JSON.parse(line) as DashboardProcess['ready']) : undefined;
    },
    30_000,
  ))!;
  const host = extra.DASHBOARD_HOST ?? env.DASHBOARD_HOST;
  const urlHost = !host || host === '0.0.0.0' || host === '::' ? '127.0.0.1' : isIPv6(host) ? `[${host}]` : host;
  const url = `http://${urlHost}:${port}`;
  return {
    port,
    url,
    ready,
    bg,
    get(path, auth = DASHBOARD_CREDENTIALS) {
      return fetch(`${url}${path}`, {
        headers: auth ? { authorization: basicHeader(auth) } : {},
        signal: AbortSignal.timeout(15_000),
      });
    },
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      await killAndWait(bg.proc, signal);
      return (await bg.done).code;
    },
  };
}

/** Samples of a Prometheus text exposition, keyed by name with labels; throws on a line that is not the format. */
export function parseMetrics(text: string): Map<string, number> {
  const out = new Map<string, number>();
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (meta) {
      if (meta[1] === 'TYPE') {
        if (!/^(counter|gauge|histogram|summary|untyped)$/.test(meta[3]!)) throw new Error(`bad TYPE: ${line}`);
        types.set(meta[2]!, meta[3]!);
      }
      continue;
    }
    const m =
      /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (-?[0-9.eE+-]+|NaN|\+Inf|-Inf)( -?\d+)?$/.exec(
        line,
      );
    if (!m) throw new Error(`not Prometheus text: ${line}`);
    const family = m[1]!.replace(/_(bucket|sum|count|total)$/, '');
    if (!types.has(m[1]!) && !types.has(family)) throw new Error(`sample without TYPE: ${line}`);
    out.set(`${m[1]}${m[2] ?? ''}`, Number(m[3]));
  }
  return out;
}
