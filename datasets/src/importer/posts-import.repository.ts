import { Collection, Db, MongoBulkWriteError, MongoClient, MongoServerError, UpdateFilter } from 'mongodb';
import { DomainEvent, EVENTS, domainEvent } from '@app/contracts';
import {
  ANNOUNCED_EVENT_FIELD,
  BulkDocument,
  MAX_BATCH_DOCUMENTS,
  Outbox,
  findEachById,
  isDuplicateKeyError,
  isDuplicateKeyWrite,
} from '@app/data';
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

const NAMESPACE_NOT_FOUND = 26;
const WITHOUT_OUTBOX = { outbox: 0, announced_event: 0 } as const;

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
          duplicate: isDuplicateKeyWrite(writeError),
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

/** Sets the imported fields and the id of the event announced for the change, in one update. */
function withEvent(fields: ImportedFields, event: DomainEvent): UpdateFilter<NewPostDocument> {
  return { $set: { ...fields, [ANNOUNCED_EVENT_FIELD]: event.id } };
}

/** A new post as written (its event's id in place of the event) and its announcement. */
function announcedInsert({ outbox, ...post }: NewPostDocument): { bulk: BulkDocument; write: NewPostDocument } {
  const event = (outbox as DomainEvent[])[0];
  return { bulk: { _id: post._id, event }, write: { ...post, [ANNOUNCED_EVENT_FIELD]: event.id } };
}

/** The importer's access to the `posts` collection of the monolith's database. */
export class PostsImportRepository {
  private readonly posts: Collection<NewPostDocument>;
  private readonly outbox: Outbox;
  /** The monolith's post index and totals, kept in step with every write. */
  private readonly catalog: PostCatalog;

  constructor(db: Db) {
    this.posts = db.collection<NewPostDocument>(POSTS_COLLECTION);
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

  /**
   * Inserts new posts, a chunk per announcement that carries their creation
   * events (the relay logs them from it); then indexes those written.
   */
  async insert(documents: readonly NewPostDocument[]): Promise<Map<number, WriteFailure>> {
    const failures = new Map<number, WriteFailure>();
    for (let start = 0; start < documents.length; start += MAX_BATCH_DOCUMENTS) {
      const chunk = documents.slice(start, start + MAX_BATCH_DOCUMENTS).map(announcedInsert);
      const chunkFailures = await this.writeAnnounced(chunk, (all) =>
        writeBatch(
          all,
          (posts) => this.posts.insertMany([...posts], { ordered: false }),
          (post) => this.posts.insertOne(post),
        ),
      );
      for (const [index, failure] of chunkFailures) failures.set(start + index, failure);
      await this.catalog.added(chunk.filter((_, index) => !chunkFailures.has(index)).map(({ write }) => write));
    }
    return failures;
  }

  /** Announces a chunk with its events, writes it, then tells the relay which writes landed. */
  private async writeAnnounced<T>(
    chunk: readonly { bulk: BulkDocument; write: T }[],
    write: (writes: readonly T[]) => Promise<Map<number, WriteFailure>>,
  ): Promise<Map<number, WriteFailure>> {
    const entry = await this.outbox.announceBulk(
      POSTS_COLLECTION,
      chunk.map(({ bulk }) => bulk),
    );
    const failures = await write(chunk.map((item) => item.write));
    await this.outbox.bulkWritten(
      entry,
      chunk.filter((_, index) => !failures.has(index)).map(({ bulk }) => bulk),
    );
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
   * Sets the given fields of existing posts, leaving every other field
   * (manual tags) alone; each chunk goes with an announcement carrying its events.
   */
  async update(updates: readonly PostUpdate[]): Promise<Map<number, WriteFailure>> {
    const failures = new Map<number, WriteFailure>();
    for (let start = 0; start < updates.length; start += UPDATES_PER_COMMAND) {
      const chunk = updates.slice(start, start + UPDATES_PER_COMMAND);
      const chunkFailures = await this.writeAnnounced(
        chunk.map((update) => ({ bulk: { _id: update._id, event: update.event }, write: update })),
        (all) =>
          writeBatch(
            all,
            (writes) =>
              this.posts.bulkWrite(
                writes.map(({ _id, fields, event }) => ({
                  updateOne: { filter: { _id }, update: withEvent(fields, event) },
                })),
                { ordered: false },
              ),
            ({ _id, fields, event }) => this.posts.updateOne({ _id }, withEvent(fields, event)),
          ),
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
