import { Collection, Db, MongoBulkWriteError, MongoClient, MongoServerError, UpdateFilter } from 'mongodb';
import { DomainEvent, EVENTS, domainEvent } from '@app/contracts';
import { Outbox, findEachById, isDuplicateKeyError } from '@app/data';
import { PostCatalog, POSTS_COLLECTION } from '@app/posts';
import { ImportedFields, NewPostDocument } from './stored-post';

/** A stored post as the importer reads it back: any fields, written by an import or not. */
export type StoredPost = Record<string, unknown> & { _id: string; id: string; manual_tags?: string[]; tags?: string[] };

export interface WriteFailure {
  /** The store refused a duplicate `id` or `_id`. */
  duplicate: boolean;
  message: string;
}

export interface PostUpdate {
  _id: string;
  /** The post's tags before the update: the tag counts move by the difference. */
  tagsBefore: string[];
  fields: ImportedFields;
  /** Recorded in the post's outbox by the same update. */
  event: DomainEvent;
}

/**
 * Updates sent per command. FerretDB 1.24 keeps a connection per update of a
 * command until the command ends, and waits forever for the 100th.
 */
const UPDATES_PER_COMMAND = 50;

/** Look-ups by `_id` in flight at once: within the client's connection pool. */
const LOOKUPS_AT_ONCE = 25;

const DUPLICATE_KEY = 11000;
const NAMESPACE_NOT_FOUND = 26;
const WITHOUT_OUTBOX = { outbox: 0 } as const;

/**
 * Writes a batch with one command and returns the failures by position. When
 * the store rejects the whole command instead of single writes (FerretDB does
 * for anything but duplicates), the batch is written one by one to find the
 * culprits.
 */
async function writeBatch<T>(
  items: readonly T[],
  writeAll: (items: readonly T[]) => Promise<unknown>,
  writeOne: (item: T) => Promise<unknown>,
): Promise<Map<number, WriteFailure>> {
  const failures = new Map<number, WriteFailure>();
  if (items.length === 0) return failures;
  try {
    await writeAll(items);
    return failures;
  } catch (error) {
    if (!(error instanceof MongoBulkWriteError)) throw error;
    const writeErrors = [error.writeErrors].flat();
    if (writeErrors.length > 0) {
      for (const writeError of writeErrors) {
        failures.set(writeError.index, {
          duplicate: writeError.code === DUPLICATE_KEY,
          message: writeError.errmsg ?? 'write failed',
        });
      }
      return failures;
    }
  }
  for (const [index, item] of items.entries()) {
    try {
      await writeOne(item);
    } catch (error) {
      if (!(error instanceof MongoServerError)) throw error;
      failures.set(index, { duplicate: isDuplicateKeyError(error), message: error.errmsg ?? error.message });
    }
  }
  return failures;
}

/** What an update of an imported post names besides its fields: the outbox. */
interface PostWithOutbox {
  _id: string;
  outbox?: DomainEvent[];
}

/** Sets the imported fields and records the change's event in the post's outbox, in one update. */
function withEvent(fields: ImportedFields, event: DomainEvent): UpdateFilter<PostWithOutbox> {
  return { $set: fields, $push: { outbox: event } };
}

/** The importer's access to the `posts` collection of the monolith's database. */
export class PostsImportRepository {
  private readonly posts: Collection<NewPostDocument>;
  /** The same collection, typed for updates that push to the outbox. */
  private readonly changedPosts: Collection<PostWithOutbox>;
  private readonly outbox: Outbox;
  /** The monolith's post index and totals, kept in step with every write. */
  private readonly catalog: PostCatalog;

  constructor(db: Db) {
    this.posts = db.collection<NewPostDocument>(POSTS_COLLECTION);
    this.changedPosts = db.collection<PostWithOutbox>(POSTS_COLLECTION);
    this.outbox = new Outbox(db);
    this.catalog = new PostCatalog(db);
  }

  /** Optionally empties the collection (and forgets its index and totals), then makes sure the indexes exist. */
  async prepare(options: { drop: boolean }): Promise<void> {
    if (options.drop) {
      await this.posts.drop().catch((error: unknown) => {
        if (!(error instanceof MongoServerError && error.code === NAMESPACE_NOT_FOUND)) throw error;
      });
      await this.catalog.clear();
      // The services drop their copies when this event reaches them, before any post imported next.
      await this.outbox.announceReset(POSTS_COLLECTION, domainEvent(EVENTS.postsDropped, POSTS_COLLECTION, {}));
    }
    await this.catalog.ensureIndexes();
  }

  /** How many posts there are, as the monolith counts them. */
  count(): Promise<number> {
    return this.catalog.total();
  }

  /** Inserts new posts, each with its creation event, announced to the relay just before; then indexes those written. */
  async insert(documents: readonly NewPostDocument[]): Promise<Map<number, WriteFailure>> {
    if (documents.length === 0) return new Map();
    await this.outbox.announceBatch(
      POSTS_COLLECTION,
      documents.map(({ _id, outbox }) => ({ _id, event: (outbox as DomainEvent[])[0].id })),
    );
    const failures = await writeBatch(
      documents,
      (all) => this.posts.insertMany([...all], { ordered: false }),
      (one) => this.posts.insertOne(one),
    );
    await this.catalog.added(documents.filter((_, index) => !failures.has(index)));
    return failures;
  }

  /** Posts by id, one look-up by `_id` each: a filter naming many ids makes the store decode every post. */
  async findByIds(ids: readonly string[]): Promise<StoredPost[]> {
    const found: StoredPost[] = [];
    for (let start = 0; start < ids.length; start += LOOKUPS_AT_ONCE) {
      const chunk = ids.slice(start, start + LOOKUPS_AT_ONCE);
      found.push(...(await findEachById<NewPostDocument, StoredPost>(this.posts, chunk, WITHOUT_OUTBOX)));
    }
    return found;
  }

  /**
   * Sets the given fields of existing posts with their event, leaving every
   * other field (manual tags) alone; each chunk is announced to the relay just before it is written.
   */
  async update(updates: readonly PostUpdate[]): Promise<Map<number, WriteFailure>> {
    const failures = new Map<number, WriteFailure>();
    for (let start = 0; start < updates.length; start += UPDATES_PER_COMMAND) {
      const chunk = updates.slice(start, start + UPDATES_PER_COMMAND);
      // Announced chunk by chunk, so each announcement is young when its write lands.
      await this.outbox.announceBatch(
        POSTS_COLLECTION,
        chunk.map(({ _id, event }) => ({ _id, event: event.id })),
      );
      const chunkFailures: Map<number, WriteFailure> = await writeBatch(
        chunk,
        (all) =>
          this.changedPosts.bulkWrite(
            all.map(({ _id, fields, event }) => ({
              updateOne: { filter: { _id }, update: withEvent(fields, event) },
            })),
            { ordered: false },
          ),
        ({ _id, fields, event }) => this.changedPosts.updateOne({ _id }, withEvent(fields, event)),
      );
      for (const [index, failure] of chunkFailures) failures.set(start + index, failure);
      await this.catalog.changed(
        chunk
          .filter((_, index) => !chunkFailures.has(index))
          .map(({ tagsBefore, fields }) => ({ tagsBefore, post: fields })),
      );
    }
    return failures;
  }
}

/** A client on `dbName` and the import repository over it; `close()` releases the client. */
export async function openPostsStore(
  mongoUrl: string,
  dbName: string,
): Promise<{ posts: PostsImportRepository; close: () => Promise<void> }> {
  const client = await MongoClient.connect(mongoUrl, { serverSelectionTimeoutMS: 10_000 });
  return { posts: new PostsImportRepository(client.db(dbName)), close: () => client.close() };
}
