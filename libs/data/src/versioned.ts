import { Collection, Filter, MongoBulkWriteError, OptionalUnlessRequiredId, UpdateFilter } from 'mongodb';
import { isDuplicateKeyWrite, unlessDuplicateKey } from './mongo-errors';

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

/** One event's state for `applyEachAtPosition`. */
export interface StateAtPosition<T extends VersionedDocument> {
  _id: string;
  position: number;
  state: Partial<Omit<T, keyof VersionedDocument>>;
}

/** Documents one insert command carries, at most. */
const INSERTS_PER_COMMAND = 500;

/**
 * `applyAtPosition` with `upsert` for many events at once, answering for
 * each whether it was applied. Events about documents named once are first
 * inserted as new in one command (a backfill's many events cost about what
 * plain inserts of their documents do); those the store already holds, and
 * documents named more than once, go one at a time, in order.
 */
export async function applyEachAtPosition<T extends VersionedDocument>(
  collection: Collection<T>,
  items: readonly StateAtPosition<T>[],
): Promise<boolean[]> {
  const applied = items.map(() => false);
  const named = new Map<string, number>();
  for (const { _id } of items) named.set(_id, (named.get(_id) ?? 0) + 1);
  const fresh: number[] = [];
  const oneByOne: number[] = [];
  items.forEach((item, index) => (named.get(item._id) === 1 ? fresh : oneByOne).push(index));
  for (let start = 0; start < fresh.length; start += INSERTS_PER_COMMAND) {
    const chunk = fresh.slice(start, start + INSERTS_PER_COMMAND);
    const taken = await insertEachNew(
      collection,
      chunk.map((index) => {
        const { _id, position, state } = items[index];
        return { ...state, _id, version: position, applied: 1 };
      }),
    );
    chunk.forEach((index, i) => (taken[i] ? oneByOne.push(index) : (applied[index] = true)));
  }
  for (const index of oneByOne.sort((a, b) => a - b)) {
    const { _id, position, state } = items[index];
    applied[index] = await applyAtPosition(collection, _id, position, state, { upsert: true });
  }
  return applied;
}

/** Inserts the documents in one command; answers, for each, whether its `_id` was taken. */
async function insertEachNew<T extends VersionedDocument>(
  collection: Collection<T>,
  documents: VersionedDocument[],
): Promise<boolean[]> {
  const taken = documents.map(() => false);
  try {
    await collection.insertMany(documents as OptionalUnlessRequiredId<T>[], { ordered: false });
  } catch (error) {
    if (!(error instanceof MongoBulkWriteError)) throw error;
    const writeErrors = [error.writeErrors].flat();
    // A store that refuses the whole command rather than single writes: each is tried again on its own.
    if (writeErrors.length === 0) return documents.map(() => true);
    for (const writeError of writeErrors) {
      if (!isDuplicateKeyWrite(writeError)) throw error;
      taken[writeError.index] = true;
    }
  }
  return taken;
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
