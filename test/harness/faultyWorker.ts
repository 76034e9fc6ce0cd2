/**
 * Test entry point: the real worker (ChunkWorker, as worker/dist/cli/worker.js runs it) with the faults
 * of FAULT_FAIL_CHUNKS and FAULT_CHUNK_DELAY_MS wrapped around its chunk processor. The harness's
 * startWorker runs it instead of worker/dist/cli/worker.js when a test gives those variables; production code knows
 * nothing of them. It takes no command-line options.
 */
import { createLogger, redactCredentials } from '@hcingest/shared';
import { ChunkWorker, loadWorkerConfig } from '@hcingest/worker';
import { readFaults, withFaults } from './faults.js';

try {
  const config = loadWorkerConfig();
  const faults = readFaults(process.env);
  const log = createLogger('worker', config.LOG_LEVEL);
  log.info({ failChunks: [...faults.failChunks], chunkDelayMs: faults.chunkDelayMs }, 'test worker: injecting faults');
  const worker = new ChunkWorker({ config, log, wrap: withFaults(faults) });
  await worker.waitUntilReady();
  // As main.ts does: the first SIGTERM or SIGINT closes the worker gracefully.
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  log.info({ signal, graceMs: config.SHUTDOWN_GRACE_MS }, 'shutting down: finishing in-flight chunks');
  await worker.close(config.SHUTDOWN_GRACE_MS);
  process.exit(0);
} catch (err) {
  process.stderr.write(`faulty worker: ${redactCredentials(err instanceof Error ? err.message : String(err))}\n`);
  process.exit(1);
}
