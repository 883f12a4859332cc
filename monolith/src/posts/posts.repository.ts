import { Injectable } from '@nestjs/common';
import { Collection, Db } from 'mongodb';
import { DomainEvent, Post } from '@app/contracts';
import { InjectDb, Outbox, findEachById, unlessDuplicateKey } from '@app/data';
import {
  HIDDEN_POST_FIELDS,
  keyedPost,
  KeyedPostDocument,
  PostCatalog,
  PostDocument,
  POSTS_COLLECTION,
} from '@app/posts';

/**
 * A stored post as maintenance jobs read it (without store id and what only the relay reads).
 * Posts loaded by a plain mongoimport lack the fields derived at write time.
 */
export interface StoredPost extends Post {
  title_words?: string[];
  auto_tags?: string[];
  manual_tags?: string[];
}

const STORED_POST_FIELDS = { _id: 0, outbox: 0, announced_event: 0 } as const;

/** A post's tags as recomputed by a retag. */
export interface RecomputedTags {
  auto_tags: string[];
  manual_tags: string[];
  tags: string[];
}

/** A post's query fields as recomputed by a reindex. */
export interface RecomputedQueryFields {
  title_words: string[];
  upsanddowns: number;
}

/** The slice of a stored post that maintenance writes read and touch. */
interface MaintainedPostDocument extends RecomputedTags, RecomputedQueryFields {
  _id: string;
  id: string;
  title: string;
  ups: number;
  downs: number;
  outbox?: DomainEvent[];
}

/** Matches a field still holding the value as read, or still missing when it was. */
function unchangedSince<T>(value: T | undefined): T | { $exists: false } {
  return value === undefined ? { $exists: false } : value;
}

@Injectable()
export class PostsRepository {
  private readonly posts: Collection<KeyedPostDocument>;
  private readonly maintainedPosts: Collection<MaintainedPostDocument>;

  constructor(
    @InjectDb() db: Db,
    private readonly outbox: Outbox,
    private readonly catalog: PostCatalog,
  ) {
    this.posts = db.collection<KeyedPostDocument>(POSTS_COLLECTION);
    this.maintainedPosts = db.collection<MaintainedPostDocument>(POSTS_COLLECTION);
  }

  ensureIndexes(): Promise<void> {
    return this.catalog.ensureIndexes();
  }

  async page(skip: number, limit: number): Promise<{ items: Post[]; total: number }> {
    const [ids, total] = await Promise.all([this.catalog.newestIds(skip, limit), this.catalog.total()]);
    return { items: await this.findEach(ids), total };
  }

  /** The posts with these ids, in that order; ids of posts gone since are left out. */
  findEach(ids: readonly string[]): Promise<Post[]> {
    return findEachById<KeyedPostDocument, Post>(this.posts, ids, HIDDEN_POST_FIELDS);
  }

  findById(id: string): Promise<Post | null> {
    return this.posts.findOne({ _id: id }, { projection: HIDDEN_POST_FIELDS }) as Promise<Post | null>;
  }

  async exists(id: string): Promise<boolean> {
    return (await this.posts.findOne({ _id: id }, { projection: { _id: 1 } })) !== null;
  }

  /** Inserts a post with its creation event; false when the id is taken. */
  async insert(post: PostDocument, event: DomainEvent): Promise<boolean> {
    const inserted = await this.outbox.record(POSTS_COLLECTION, post.id, event, () =>
      unlessDuplicateKey(async () => {
        await this.posts.insertOne({ ...keyedPost(post), outbox: [event] });
        return true;
      }),
    );
    if (inserted) await this.catalog.added([post]);
    return inserted;
  }

  /** Rewrites the index entry of a post that a reindex found as it should be. */
  reindexUnchanged(post: StoredPost): Promise<void> {
    return this.catalog.changed([{ tagsBefore: post.tags ?? [], post }]);
  }

  /** Sets the totals a full pass over the posts counted. */
  resetTotals(posts: number, tagCounts: ReadonlyMap<string, number>): Promise<void> {
    return this.catalog.resetTotals(posts, tagCounts);
  }

  /**
   * Every post, `batchSize` at a time, through one cursor. Unsorted on purpose:
   * a sorted scan makes the store sort the whole collection in memory first.
   */
  async *scan(batchSize: number): AsyncGenerator<StoredPost[]> {
    const cursor = this.posts.find({}, { projection: STORED_POST_FIELDS, batchSize });
    try {
      let batch: StoredPost[] = [];
      for await (const post of cursor) {
        batch.push(post as StoredPost);
        if (batch.length === batchSize) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length > 0) yield batch;
    } finally {
      await cursor.close();
    }
  }

  findStored(id: string): Promise<StoredPost | null> {
    return this.posts.findOne({ _id: id }, { projection: STORED_POST_FIELDS }) as Promise<StoredPost | null>;
  }

  /**
   * Stores recomputed tags with their event, only while the post still holds
   * the tags they were computed from (`seen`); false otherwise.
   */
  async replaceRecomputedTags(seen: StoredPost, tags: RecomputedTags, event: DomainEvent): Promise<boolean> {
    const written = await this.outbox.record(POSTS_COLLECTION, seen.id, event, async () => {
      const { modifiedCount } = await this.maintainedPosts.updateOne(
        { _id: seen.id, auto_tags: unchangedSince(seen.auto_tags), manual_tags: unchangedSince(seen.manual_tags) },
        { $set: tags, $push: { outbox: event } },
      );
      return modifiedCount === 1;
    });
    if (written) await this.catalog.changed([{ tagsBefore: seen.tags ?? [], post: { ...seen, ...tags } }]);
    return written;
  }

  /**
   * Stores recomputed query fields with their event, only while the post still
   * has the title and votes they were computed from (`seen`); false otherwise.
   */
  async replaceQueryFields(seen: StoredPost, fields: RecomputedQueryFields, event: DomainEvent): Promise<boolean> {
    const written = await this.outbox.record(POSTS_COLLECTION, seen.id, event, async () => {
      const { modifiedCount } = await this.maintainedPosts.updateOne(
        { _id: seen.id, title: seen.title, ups: seen.ups, downs: seen.downs },
        { $set: fields, $push: { outbox: event } },
      );
      return modifiedCount === 1;
    });
    if (written) await this.catalog.changed([{ tagsBefore: seen.tags ?? [], post: { ...seen, ...fields } }]);
    return written;
  }
}
