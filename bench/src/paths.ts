import { join } from 'node:path';
import { ROOT } from '@hcingest/devstack';

export { ROOT };

/** Where the bench writes its results (committed: docs/performance.md cites them). */
export const RESULTS = join(ROOT, 'bench', 'results');

/** The built commands the bench runs as processes. */
export const SCRIPTS = {
  enqueue: join(ROOT, 'producer/dist/cli/enqueue.js'),
  worker: join(ROOT, 'worker/dist/cli/worker.js'),
};
