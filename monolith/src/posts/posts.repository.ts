import { Injectable, OnModuleInit } from '@nestjs/common';
import { Collection, Db } from 'mongodb';
import { DomainEvent, Post } from '@app/contracts';
import { InjectDb, isDuplicateKeyError } from '@app/data';
import { HIDDEN_POST_FIELDS, POSTS_COLLECTION, PostDocument } from './post.document';

/** Newest first, ties by id: the order of every post list. */
export const NEWEST_FIRST = { created_utc: -1, id: 1 } as const;

@Injectable()
export class PostsRepository implements OnModuleInit {
  private readonly posts: Collection<PostDocument>;

  constructor(@InjectDb() db: Db) {
    this.posts = db.collection<PostDocument>(POSTS_COLLECTION);
  }

  async onModuleInit(): Promise<void> {
    await this.posts.createIndexes([
      { key: { id: 1 }, name: 'id_unique', unique: true },
      { key: NEWEST_FIRST, name: 'newest_first' },
      { key: { score: -1, num_comments: -1, id: 1 }, name: 'search_order' },
      { key: { upsanddowns: 1, num_comments: -1, id: 1 }, name: 'recommendation_order' },
      { key: { tags: 1 }, name: 'tags' },
    ]);
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
    try {
      await this.posts.insertOne({ ...post, outbox: [event] });
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }
}
