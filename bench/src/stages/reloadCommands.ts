import { ensureIndexes, ensureQueryIndexes, readReport, type Store } from '@hcingest/shared';
import { commandCollection, countCommands } from '@hcingest/devstack';
import { perSec } from '../measure/rates.js';
import { withStore } from '../store/benchStore.js';
import { directLoad } from '../store/directLoad.js';

/** What a reload of the identical file sent to the store. */
export interface ReloadCommandsMeasure {
  rowsPerSec: number;
  unchanged: number;
  updated: number;
  patientUpdateStatements: number;
  patientDocumentsModified: number;
  commands: Record<string, number>;
}

type CommandCount = Pick<ReloadCommandsMeasure, 'commands' | 'patientUpdateStatements' | 'patientDocumentsModified'>;

/**
 * Counts, from now on: commands by collection and name, update statements sent to the patients
 * collection and the documents they modified.
 */
function countWrites(store: Store): CommandCount {
  const updates = new Set<number>();
  const count: CommandCount = { commands: {}, patientUpdateStatements: 0, patientDocumentsModified: 0 };
  count.commands = countCommands(store, (e) => {
    if (e.commandName === 'update' && commandCollection(e) === store.patients.collectionName) {
      updates.add(e.requestId);
      count.patientUpdateStatements += (e.command.updates as unknown[]).length;
    }
  });
  store.client.on('commandSucceeded', (e) => {
    if (updates.has(e.requestId)) {
      count.patientDocumentsModified += Number((e.reply as { nModified?: number }).nModified ?? 0);
    }
  });
  return count;
}

/**
 * What a reload of the identical file sends to the store: a first load (query indexes built),
 * then the same file as a new load, its commands counted.
 */
export function reloadCommands(file: string, rows: number, env: NodeJS.ProcessEnv): Promise<ReloadCommandsMeasure> {
  return withStore(
    env,
    'bench-reload',
    async (store, config) => {
      await ensureIndexes(store);
      await directLoad(store, file, 'first', config.WORKER_CONCURRENCY, config.CHUNK_SIZE);
      await ensureQueryIndexes(store);
      const count = countWrites(store);
      const t0 = performance.now();
      await directLoad(store, file, 'reload', config.WORKER_CONCURRENCY, config.CHUNK_SIZE);
      const ms = performance.now() - t0;
      const report = (await readReport(store, 'reload'))!;
      return {
        rowsPerSec: perSec(rows, ms),
        unchanged: report.unchanged,
        updated: report.updated,
        patientUpdateStatements: count.patientUpdateStatements,
        patientDocumentsModified: count.patientDocumentsModified,
        commands: count.commands,
      };
    },
    { monitorCommands: true },
  );
}
