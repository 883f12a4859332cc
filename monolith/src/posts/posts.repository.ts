import { Injectable, OnModuleInit } from '@nestjs/common';
import { Collection, Db, ObjectId } from 'mongodb';
import { DomainEvent, Post } from '@app/contracts';
import { InjectDb, Outbox, ensureIndexes, isDuplicateKeyError } from '@app/data';
import { HIDDEN_POST_FIELDS, NEWEST_FIRST, POSTS_COLLECTION, POST_INDEXES, PostDocument } from './post.document';

/**
 * A stored post as maintenance jobs read it (without store id and outbox).
 * Posts loaded by a plain mongoimport lack the fields derived at write time.
 */
export interface StoredPost extends Post {
  title_words?: string[];
  auto_tags?: string[];
  manual_tags?: string[];
}

const STORED_POST_FIELDS = { _id: 0, outbox: 0 } as const;

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
export class PostsRepository implements OnModuleInit {
  private readonly posts: Collection<PostDocument>;
  private readonly maintainedPosts: Collection<MaintainedPostDocument>;

  constructor(
    @InjectDb() db: Db,
    private readonly outbox: Outbox,
  ) {
    this.posts = db.collection<PostDocument>(POSTS_COLLECTION);
    this.maintainedPosts = db.collection<MaintainedPostDocument>(POSTS_COLLECTION);
  }

  async onModuleInit(): Promise<void> {
    await this.ensureIndexes();
  }

  ensureIndexes(): Promise<void> {
    return ensureIndexes(this.posts, POST_INDEXES);
  }

  async page(skip: number, limit: number): Promise<{ items: Post[]; total: number }> {
    const [items, total] = await Promise.all([
      this.posts.find({}, { projection: HIDDEN_POST_FIELDS }).sort(NEWEST_FIRST).skip(skip).limit(limit).toArray(),
      this.posts.countDocuments({}),
    ]);
    return { items: items as Post[], total };
  }

  findById(id: string): Promise<Post | null> {
    return this.posts.findOne({ id }, { projection: HIDDEN_POST_FIELDS }) as Promise<Post | null>;
  }

  async exists(id: string): Promise<boolean> {
    return (await this.posts.countDocuments({ id }, { limit: 1 })) > 0;
  }

  /** Inserts a post with its creation event; false when the id is taken. */
  async insert(post: PostDocument, event: DomainEvent): Promise<boolean> {
    // The relay finds the post by `_id`, so it is chosen before the write.
    const _id = new ObjectId();
    await this.outbox.announce(POSTS_COLLECTION, { _id }, event);
    try {
      await this.posts.insertOne({ _id, ...post, outbox: [event] });
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
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
    return this.posts.findOne({ id }, { projection: STORED_POST_FIELDS }) as Promise<StoredPost | null>;
  }

  /**
   * Stores recomputed tags with their event, only while the post still holds
   * the tags they were computed from (`seen`); false otherwise.
   */
  async replaceRecomputedTags(seen: StoredPost, tags: RecomputedTags, event: DomainEvent): Promise<boolean> {
    await this.outbox.announce(POSTS_COLLECTION, { id: seen.id }, event);
    const { modifiedCount } = await this.maintainedPosts.updateOne(
      { id: seen.id, auto_tags: unchangedSince(seen.auto_tags), manual_tags: unchangedSince(seen.manual_tags) },
      { $set: tags, $push: { outbox: event } },
    );
    return modifiedCount === 1;
  }

  /**
   * Stores recomputed query fields with their event, only while the post still
   * has the title and votes they were computed from (`seen`); false otherwise.
   */
  async replaceQueryFields(seen: StoredPost, fields: RecomputedQueryFields, event: DomainEvent): Promise<boolean> {
    await this.outbox.announce(POSTS_COLLECTION, { id: seen.id }, event);
    const { modifiedCount } = await this.maintainedPosts.updateOne(
      { id: seen.id, title: seen.title, ups: seen.ups, downs: seen.downs },
      { $set: fields, $push: { outbox: event } },
    );
    return modifiedCount === 1;
  }
}
