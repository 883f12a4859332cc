import { Injectable, OnModuleInit } from '@nestjs/common';
import { Collection, Db } from 'mongodb';
import { SearchHit } from '@app/contracts';
import { InjectDb, isDuplicateKeyError } from '@app/data';
import { SEARCH_POSTS_COLLECTION, SearchPostDocument } from './search-hit.document';

@Injectable()
export class SearchRepository implements OnModuleInit {
  private readonly posts: Collection<SearchPostDocument>;

  constructor(@InjectDb() db: Db) {
    this.posts = db.collection<SearchPostDocument>(SEARCH_POSTS_COLLECTION);
  }

  async onModuleInit(): Promise<void> {
    await this.posts.createIndex({ id: 1 }, { unique: true, name: 'id_unique' });
  }

  all(): AsyncIterable<SearchHit> {
    return this.posts.find({}, { projection: { _id: 0, id: 1, title: 1, score: 1, num_comments: 1, permalink: 1 } });
  }

  /**
   * Stores a post's state as of stream `position`, unless a later (or the
   * same) event was applied already: the check and the write are one update.
   */
  async applySnapshot(hit: SearchHit, position: number): Promise<boolean> {
    try {
      const result = await this.posts.updateOne(
        { id: hit.id, version: { $lt: position } },
        { $set: { ...hit, version: position }, $inc: { applied: 1 } },
        { upsert: true },
      );
      return result.modifiedCount + result.upsertedCount > 0;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  async clear(): Promise<void> {
    await this.posts.deleteMany({});
  }
}
