import { MongoClient, type Db } from 'mongodb';

/** A direct connection for assertions on what the pipeline stored. */
export async function openDb(env: NodeJS.ProcessEnv): Promise<{ client: MongoClient; db: Db }> {
  const client = new MongoClient(env.MONGO_URL ?? process.env.MONGO_URL!);
  await client.connect();
  return { client, db: client.db(env.DB_NAME) };
}
