import { Collection, Filter, OptionalUnlessRequiredId, UpdateFilter } from 'mongodb';
import { unlessDuplicateKey } from './mongo-errors';

/** A document kept up to date from the event stream, keyed by `_id` (the store's only cheap look-up). */
export interface VersionedDocument {
  _id: string;
  /** Stream position of the last event applied to this document. */
  version: number;
  /** How many events were applied to this document (each exactly once). */
  applied: number;
}

/**
 * Stores the state an event carries into document `_id`, as of stream
 * `position`, unless that event or a later one was applied already (a
 * missing document is created only with `upsert`). Read and write are two
 * steps, each a look-up by `_id`: callers apply one event at a time, so
 * no other write to the document comes between them.
 *
 * With `upsert`, the document is first inserted as new: one write instead of
 * a read and a write for the common case of an event about something the
 * service has not seen yet (every event of a backfill). The unique `_id`
 * refuses the insert when the document exists, and the versioned path runs.
 */
export async function applyAtPosition<T extends VersionedDocument>(
  collection: Collection<T>,
  _id: string,
  position: number,
  state: Partial<Omit<T, keyof VersionedDocument>>,
  options: { upsert: boolean },
): Promise<boolean> {
  if (options.upsert && (await insertNew(collection, { ...state, _id, version: position, applied: 1 }))) return true;
  const byId = { _id } as Filter<T>;
  const current = await collection.findOne(byId, { projection: { version: 1 } });
  if (current ? current.version >= position : !options.upsert) return false;
  const update = { $set: { ...state, version: position }, $inc: { applied: 1 } } as unknown as UpdateFilter<T>;
  await collection.updateOne(byId, update, { upsert: options.upsert });
  return true;
}

/**
 * Removes the documents last changed before stream `position`: what a bulk
 * reset at that position removed upstream. Documents changed by later events
 * (a replay delivers them first) stay.
 */
export async function deleteChangedBefore<T extends VersionedDocument>(
  collection: Collection<T>,
  position: number,
): Promise<void> {
  await collection.deleteMany({ version: { $lt: position } } as Filter<T>);
}

/** Inserts `document`; false when its `_id` is taken. */
function insertNew<T extends VersionedDocument>(
  collection: Collection<T>,
  document: VersionedDocument,
): Promise<boolean> {
  return unlessDuplicateKey(async () => {
    await collection.insertOne(document as OptionalUnlessRequiredId<T>);
    return true;
  });
}
