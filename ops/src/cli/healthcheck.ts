#!/usr/bin/env node
/**
 * The dashboard container's healthcheck: exits 0 when the dashboard in this container answers
 * /healthz on DASHBOARD_PORT (default 3000), 1 otherwise, within 4 s. A script rather than an inline
 * `node -e` in docker-compose.yml: podman's Docker API (4.x) splits a healthcheck's arguments at
 * spaces, which broke the inline one there; a command without spaces runs the same on every engine.
 */
const port = process.env.DASHBOARD_PORT || '3000';
try {
  const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(4000) });
  process.exitCode = res.ok ? 0 : 1;
  if (!res.ok) process.stderr.write(`healthcheck: /healthz answered ${res.status}\n`);
} catch (err) {
  process.stderr.write(`healthcheck: /healthz did not answer: ${(err as Error).message}\n`);
  process.exitCode = 1;
}
