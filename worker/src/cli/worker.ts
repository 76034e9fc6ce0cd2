#!/usr/bin/env node
import {
  command,
  EXIT,
  ConfigError,
  loadEnvFile,
  withEnvFileHint,
  type EnvFileResult,
  createLogger,
  redactCredentials,
  explainStoreError,
  StoreAccessError,
} from '@hcingest/shared';
import { ChunkWorker } from '../chunkWorker.js';
import { loadWorkerConfig } from '../settings.js';

// Usage errors exit 2 (input refused), as documented; --help exits 0.
const program = command('worker')
  .description(
    'Runs a chunk worker: takes chunk jobs from the queue, validates the rows and writes them to MongoDB.\n' +
      'Runs until SIGTERM/SIGINT, then finishes in-flight chunks (up to SHUTDOWN_GRACE_MS) and exits 0.\n' +
      'Settings come from the environment (see .env.template): REDIS_URL (or REDIS_CLUSTER_NODES), MONGO_URL,\n' +
      'DB_NAME, COLLECTION_NAME, WORKER_CONCURRENCY, JOB_ATTEMPTS, LOCK_DURATION_MS, SHUTDOWN_GRACE_MS, LOG_LEVEL...',
  )
  .option('-c, --concurrency <n>', 'chunk jobs handled at once (default: WORKER_CONCURRENCY)')
  .showHelpAfterError()
  .parse();

/** The first SIGTERM or SIGINT: the request to shut down gracefully. */
function nextSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
}

let envFile: EnvFileResult = { applied: [] };
try {
  envFile = loadEnvFile();
  const config = loadWorkerConfig();
  const concurrency = program.opts<{ concurrency?: string }>().concurrency;
  if (concurrency !== undefined && !/^[1-9]\d*$/.test(concurrency)) {
    program.error(`--concurrency must be a positive integer, got "${concurrency}"`);
  }
  const log = createLogger('worker', config.LOG_LEVEL);
  const worker = new ChunkWorker({
    config: { ...config, WORKER_CONCURRENCY: concurrency ? Number(concurrency) : config.WORKER_CONCURRENCY },
    log,
  });
  await worker.waitUntilReady();
  const signal = await nextSignal();
  log.info({ signal, graceMs: config.SHUTDOWN_GRACE_MS }, 'shutting down: finishing in-flight chunks');
  await worker.close(config.SHUTDOWN_GRACE_MS);
  process.exit(EXIT.ok);
} catch (thrown) {
  const err = explainStoreError(thrown, process.env.MONGO_URL ?? '');
  if (err instanceof ConfigError || err instanceof StoreAccessError) {
    const message = err instanceof ConfigError ? withEnvFileHint(err.message, envFile) : err.message;
    process.stderr.write(`worker: ${message}\n`);
    process.exit(EXIT.badInput);
  }
  // Anything else at start-up: one line, without credentials, rather than a stack trace.
  process.stderr.write(`worker: ${redactCredentials(err instanceof Error ? err.message : String(err))}\n`);
  process.exit(EXIT.notCompleted);
}
