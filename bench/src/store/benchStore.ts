import { connectStore, loadConfig, type Store } from '@hcingest/shared';
import { producerSchema } from '@hcingest/producer';
import { workerSchema } from '@hcingest/worker';

/** The settings a direct load uses: the worker's concurrency and archive batch, the producer's chunk size. */
export interface DirectSettings {
  WORKER_CONCURRENCY: number;
  CHUNK_SIZE: number;
  ARCHIVE_BATCH_SIZE: number;
}

/**
 * Runs `fn` on a store connected with the settings of `env` (over process.env), then drops its
 * database: each measure on a store holding nothing of the earlier ones, so that later stages
 * are not slowed by the data of the earlier ones (it biased the worker counts run last).
 */
export async function withStore<T>(
  env: NodeJS.ProcessEnv,
  appName: string,
  fn: (store: Store, config: DirectSettings) => Promise<T>,
  opts: { monitorCommands?: boolean } = {},
): Promise<T> {
  const config = loadConfig({ ...process.env, ...env }, { schema: { ...workerSchema, ...producerSchema } });
  const store = await connectStore(config, appName, opts.monitorCommands ? { monitorCommands: true } : undefined);
  try {
    return await fn(store, config);
  } finally {
    await store.db.dropDatabase().catch(() => undefined);
    await store.client.close();
  }
}
