import { Injectable } from '@nestjs/common';
import { Collection, Db } from 'mongodb';
import { SearchHit } from '@app/contracts';
import { InjectDb } from '@app/data';
import { POSTS_COLLECTION, PostDocument } from '../posts/post.document';

const SEARCH_ORDER = { score: -1, num_comments: -1, id: 1 } as const;
const HIT_FIELDS = { _id: 0, id: 1, title: 1, score: 1, num_comments: 1, permalink: 1 } as const;

@Injectable()
export class SearchRepository {
  private readonly posts: Collection<PostDocument>;

  constructor(@InjectDb() db: Db) {
    this.posts = db.collection<PostDocument>(POSTS_COLLECTION);
  }

  /** Posts whose stored title words start with every one of `words` (lower-case [a-z0-9] runs, so regex-safe). */
  async matching(
    words: readonly string[],
    skip: number,
    limit: number,
  ): Promise<{ items: SearchHit[]; total: number }> {
    const filter = { $and: words.map((word) => ({ title_words: { $regex: `^${word}` } })) };
    const [items, total] = await Promise.all([
      this.posts.find(filter, { projection: HIT_FIELDS }).sort(SEARCH_ORDER).skip(skip).limit(limit).toArray(),
      this.posts.countDocuments(filter),
    ]);
    return { items: items as unknown as SearchHit[], total };
  }
}
