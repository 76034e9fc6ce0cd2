import { join } from 'node:path';
import { ROOT } from '@hcingest/devstack';

/** Repository root. */
export { ROOT };

export const SCRIPTS = {
  enqueue: join(ROOT, 'producer/dist/cli/enqueue.js'),
  status: join(ROOT, 'ops/dist/cli/status.js'),
  generate: join(ROOT, 'generator/dist/cli/generate.js'),
  worker: join(ROOT, 'worker/dist/cli/worker.js'),
  failed: join(ROOT, 'ops/dist/cli/failed.js'),
  retry: join(ROOT, 'ops/dist/cli/retry.js'),
  dashboard: join(ROOT, 'ops/dist/cli/dashboard.js'),
  healthcheck: join(ROOT, 'ops/dist/cli/healthcheck.js'),
  dbInit: join(ROOT, 'ops/dist/cli/dbInit.js'),
  rejects: join(ROOT, 'ops/dist/cli/rejects.js'),
  verify: join(ROOT, 'ops/dist/cli/verify.js'),
  restore: join(ROOT, 'ops/dist/cli/restore.js'),
};

/** The worker with test-only fault injection (faultyWorker.ts), which startWorker runs for FAULT_* settings. */
export const FAULTY_WORKER = join(ROOT, 'test/dist/harness/faultyWorker.js');
