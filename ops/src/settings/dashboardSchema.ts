import {
  loadConfig,
  type Config,
  type LoadConfigOptions,
  type SettingsOf,
  type SettingsSchema,
} from '@hcingest/shared';

/** The dashboard's own settings: where it listens, and its basic auth. */
export const dashboardSchema = {
  DASHBOARD_HOST: {
    doc:
      'Address the dashboard listens on: 127.0.0.1 (this host only), 0.0.0.0 or :: (every interface), or one ' +
      "interface's address or host name. It speaks plain HTTP with basic auth: beyond a trusted network, listen " +
      'on 127.0.0.1 behind a TLS reverse proxy. In compose it is always 0.0.0.0 inside the container (its port is published).',
    format: 'listen-host',
    default: '127.0.0.1',
    env: 'DASHBOARD_HOST',
  },
  DASHBOARD_PORT: {
    doc:
      'Port the dashboard (npm run dashboard) listens on; in compose, the host port it is published on (the only ' +
      'published port of the stack; inside the container it is always 3000).',
    format: 'port',
    default: 3000,
    env: 'DASHBOARD_PORT',
  },
  DASHBOARD_USER: {
    doc: 'User name of the dashboard HTTP basic auth (compose: operator unless set).',
    format: String,
    default: 'admin',
    env: 'DASHBOARD_USER',
    example: 'operator',
  },
  DASHBOARD_PASSWORD: {
    doc:
      'Password of the dashboard HTTP basic auth (every page but /healthz, /readyz and /metrics): without it the ' +
      'dashboard refuses to start unless DASHBOARD_AUTH=off (with NODE_ENV=production also with the placeholder).',
    format: String,
    default: '',
    env: 'DASHBOARD_PASSWORD',
    sensitive: true,
  },
  DASHBOARD_AUTH: {
    doc:
      'on: basic auth on every dashboard page but /healthz, /readyz and /metrics; off: no auth, only behind a proxy ' +
      'that authenticates (npm run dashboard; the compose service always runs with auth).',
    format: ['on', 'off'],
    default: 'on',
    env: 'DASHBOARD_AUTH',
  },
  DASHBOARD_READ_ONLY: {
    doc: 'true hides the queue actions (retry, clean, pause, empty) of the dashboard /queues page.',
    format: 'true-false',
    default: false,
    env: 'DASHBOARD_READ_ONLY',
  },
} satisfies SettingsSchema;

export type DashboardConfig = Config & SettingsOf<typeof dashboardSchema>;

/** Reads and validates the dashboard's settings (shared and its own); throws ConfigError naming each bad variable. */
export function loadDashboardConfig(
  env: NodeJS.ProcessEnv = process.env,
  options: LoadConfigOptions = {},
): DashboardConfig {
  return loadConfig(env, { ...options, schema: dashboardSchema });
}
