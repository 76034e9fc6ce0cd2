#!/usr/bin/env node
/**
 * The dashboard container's healthcheck. A script rather than an inline `node -e` in
 * docker-compose.yml: podman's Docker API (4.x) splits a healthcheck's arguments at spaces, which
 * broke the inline one there; a command without spaces runs the same on every engine.
 */
import { command, EXIT } from '@hcingest/shared';

const TIMEOUT_MS = 4000;

command('healthcheck')
  .description('Exits 0 when the dashboard on this host answers /healthz, 1 otherwise (the container healthcheck).')
  .addHelpText(
    'after',
    `\nAsks http://127.0.0.1:$DASHBOARD_PORT/healthz (DASHBOARD_PORT defaults to 3000) and waits at most ${TIMEOUT_MS / 1000} s.\n` +
      'Exit codes: 0 healthy, 1 not healthy, 2 usage refused.',
  )
  .showHelpAfterError()
  .parse();

const port = process.env.DASHBOARD_PORT || '3000';
try {
  const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  process.exitCode = res.ok ? EXIT.ok : EXIT.notCompleted;
  if (!res.ok) process.stderr.write(`healthcheck: /healthz answered ${res.status}\n`);
} catch (err) {
  process.stderr.write(`healthcheck: /healthz did not answer: ${(err as Error).message}\n`);
  process.exitCode = EXIT.notCompleted;
}
