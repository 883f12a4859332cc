import { randomBytes } from 'node:crypto';
import { Db, MongoClient } from 'mongodb';

/** The URL of the run's private store (started by global-setup.js). */
export function testMongoUrl(): string {
  const url = process.env.TEST_MONGO_URL;
  if (!url) {
    throw new Error(
      'TEST_MONGO_URL is not set: a spec that opens the store runs in the integration tier, whose global-setup.js starts it',
    );
  }
  return url;
}

/** A database name no other suite uses. */
export function uniqueDbName(prefix: string): string {
  return `${prefix}_${randomBytes(4).toString('hex')}`;
}

/** A client on its own database, dropped again by `close()`. */
export async function openTestDb(prefix: string): Promise<{ db: Db; dbName: string; close: () => Promise<void> }> {
  const client = await MongoClient.connect(testMongoUrl());
  const dbName = uniqueDbName(prefix);
  const db = client.db(dbName);
  return {
    db,
    dbName,
    close: async () => {
      await db.dropDatabase().catch(() => undefined);
      await client.close();
    },
  };
}

/** A client on an existing database (another process's); close() leaves the data. */
export async function openDb(dbName: string): Promise<{ db: Db; close: () => Promise<void> }> {
  const client = await MongoClient.connect(testMongoUrl());
  return { db: client.db(dbName), close: () => client.close() };
}
