import type { Collection, Document, IndexDescription } from 'mongodb';

/**
 * Creates the indexes a collection needs, one call per index: FerretDB 1.24
 * drops the connection when one createIndexes call names two or more indexes
 * that already exist, which every restart on existing data would do.
 */
export async function ensureIndexes<T extends Document>(
  collection: Collection<T>,
  indexes: readonly IndexDescription[],
): Promise<void> {
  for (const index of indexes) await collection.createIndexes([index]);
}
