import { Injectable, OnModuleInit } from '@nestjs/common';
import { Collection, Db } from 'mongodb';
import { DomainEvent, Post } from '@app/contracts';
import { InjectDb, isDuplicateKeyError } from '@app/data';
import { HIDDEN_POST_FIELDS, NEWEST_FIRST, POSTS_COLLECTION, POST_INDEXES, PostDocument } from './post.document';

@Injectable()
export class PostsRepository implements OnModuleInit {
  private readonly posts: Collection<PostDocument>;

  constructor(@InjectDb() db: Db) {
    this.posts = db.collection<PostDocument>(POSTS_COLLECTION);
  }

  async onModuleInit(): Promise<void> {
    await this.posts.createIndexes(POST_INDEXES);
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
