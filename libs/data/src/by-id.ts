import type { Collection, Document, Filter } from 'mongodb';

/**
 * The documents with these `_id`s, in the order given, those missing left
 * out: one look-up by `_id` each, the store's only indexed read (a filter
 * naming many ids makes the embedded store decode the whole collection).
 */
export async function findEachById<T extends Document, R = T>(
  collection: Collection<T>,
  ids: readonly string[],
  projection: Document,
): Promise<R[]> {
  const found = await Promise.all(ids.map((_id) => collection.findOne({ _id } as Filter<T>, { projection })));
  return found.filter((document) => document !== null) as R[];
}
