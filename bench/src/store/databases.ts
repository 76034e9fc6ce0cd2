import { MongoClient } from 'mongodb';
import { PATIENT_QUERY_INDEXES } from '@hcingest/shared';

/** Drops the database of one measure (its queue is deleted with the Redis data at the end). */
export async function dropDatabaseOf(env: NodeJS.ProcessEnv): Promise<void> {
  const c = new MongoClient(env.MONGO_URL!);
  try {
    await c.db(env.DB_NAME).dropDatabase();
  } catch {
    // best effort: the bench drops every database it made at the end
  } finally {
    await c.close();
  }
}

/** Drops the databases the bench made. */
export async function dropDatabases(mongoUrl: string, prefix: string): Promise<void> {
  const c = new MongoClient(mongoUrl);
  try {
    const { databases } = await c.db('admin').admin().listDatabases();
    for (const d of databases) if (d.name.startsWith(prefix)) await c.db(d.name).dropDatabase();
  } finally {
    await c.close();
  }
}

/** Resolves once the patients' query indexes exist (the workers build them after a first load). */
export async function queryIndexesBuilt(env: NodeJS.ProcessEnv): Promise<void> {
  const client = new MongoClient(env.MONGO_URL!);
  try {
    const patients = client.db(env.DB_NAME).collection('patients');
    for (;;) {
      const names = (await patients.listIndexes().toArray()).map((i) => String(i.name));
      if (PATIENT_QUERY_INDEXES.every((i) => names.includes(i.name))) return;
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    await client.close();
  }
}
