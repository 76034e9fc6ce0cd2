#!/usr/bin/env node
import { connectStore, ensureIndexes, type Store, EXIT, runCli, command } from '@hcingest/shared';
import { loadDbUsersConfig } from '../settings/dbUsersSchema.js';
import { MongoServerError } from 'mongodb';
import { deploymentUsers, ensureUsers, type UserResult } from '../admin/ensureUsers.js';

const program = command('db:init')
  .description(
    'Creates, idempotently, the three MongoDB accounts on DB_NAME and the indexes: the one place they are ' +
      'made (compose runs it as the db-init service on every up; run it yourself for managed clusters or ' +
      'existing databases). An existing account gets its password and roles reset from the environment, ' +
      'so running it again is harmless.',
  )
  .option('--skip-users', 'only create the indexes')
  .option('--json', 'print exactly one JSON document on stdout ({db, users, indexes})')
  .addHelpText(
    'after',
    '\nEnvironment (secrets only from there, never printed):\n' +
      '  MONGO_URL    an account that may manage users and indexes on DB_NAME (root, or ADMIN_USER once it exists)\n' +
      '  DB_NAME, COLLECTION_NAME, ARCHIVE_COLLECTION_NAME\n' +
      '  ADMIN_USER / ADMIN_PASS    roles dbAdmin + userAdmin (administration, db:init)\n' +
      '  WRITER_USER / WRITER_PASS  role readWrite (producer, workers)\n' +
      '  READER_USER / READER_PASS  role read (status, dashboard)\n' +
      'Indexes: those of the report and of the archive (mirror loads) always; the query indexes of the patients collection once it exists\n' +
      '(before the first load they are left to the workers, which build them when it completes).\n' +
      '\nExit codes: 0 done, 1 error (e.g. the MONGO_URL account may not manage users), 2 settings refused.',
  )
  .showHelpAfterError()
  .parse();

const opts = program.opts<{ skipUsers?: boolean; json?: boolean }>();

const NAMESPACE_NOT_FOUND = 26;

async function indexNames(store: Store): Promise<Record<string, string[]>> {
  const result: Record<string, string[]> = {};
  for (const coll of [
    store.patients,
    store.rejects,
    store.chunkResults,
    store.chunkFailures,
    store.writeMarks,
    store.replacements,
    store.archive,
    store.mirrorRows,
  ]) {
    const indexes = await coll
      .listIndexes()
      .toArray()
      .catch((err: unknown) => {
        // A collection nothing was written to yet does not exist (patients before a first load).
        if (err instanceof MongoServerError && err.code === NAMESPACE_NOT_FOUND) return [];
        throw err;
      });
    result[coll.collectionName] = indexes.map((i) => String(i.name));
  }
  return result;
}

function describeUsers(users: UserResult[] | 'skipped'): string[] {
  if (users === 'skipped') return ['users: skipped (--skip-users)'];
  return users.map((u) => `user ${u.user}: ${u.action} (${u.roles.join(', ')})`);
}

await runCli(
  'db:init',
  async (config) => {
    // Read before connecting: a missing or placeholder password stops here, naming the variable.
    const users = opts.skipUsers ? undefined : loadDbUsersConfig();
    const store = await connectStore(config, 'hcingest-db-init');
    try {
      const outcome = users ? await ensureUsers(store.db, deploymentUsers(users)) : 'skipped';
      const queryIndexes = await ensureIndexes(store, config.QUERY_INDEXES);
      const indexes = await indexNames(store);
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ db: config.DB_NAME, users: outcome, indexes, queryIndexes })}\n`);
      } else {
        const lines = [
          `database ${config.DB_NAME}`,
          ...describeUsers(outcome),
          ...Object.entries(indexes).map(([coll, names]) => `indexes on ${coll}: ${names.join(', ') || 'none yet'}`),
          ...(queryIndexes === 'deferred'
            ? [`query indexes on ${store.patients.collectionName}: built when the first load completes`]
            : []),
        ];
        process.stdout.write(`${lines.join('\n')}\n`);
      }
      return EXIT.ok;
    } finally {
      await store.client.close().catch(() => undefined);
    }
  },
  { secrets: ['MONGO_URL'] },
);
