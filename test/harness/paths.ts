import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (this file is compiled to test/dist/harness/). */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export const SCRIPTS = {
  enqueue: join(ROOT, 'producer/dist/cli/enqueue.js'),
  status: join(ROOT, 'producer/dist/cli/status.js'),
  generate: join(ROOT, 'producer/dist/cli/generate.js'),
  worker: join(ROOT, 'worker/dist/main.js'),
  failed: join(ROOT, 'producer/dist/cli/failed.js'),
  retry: join(ROOT, 'producer/dist/cli/retry.js'),
  dashboard: join(ROOT, 'producer/dist/cli/dashboard.js'),
  dbInit: join(ROOT, 'producer/dist/cli/dbInit.js'),
};

/** The worker with test-only fault injection (faultyWorker.ts), which startWorker runs for FAULT_* settings. */
export const FAULTY_WORKER = join(ROOT, 'test/dist/harness/faultyWorker.js');
