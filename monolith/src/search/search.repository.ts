import { Injectable } from '@nestjs/common';
import { Collection, Db } from 'mongodb';
import { SearchHit } from '@app/contracts';
import { InjectDb, findEachById } from '@app/data';
import { KeyedPostDocument, POSTS_COLLECTION } from '@app/posts';

const HIT_FIELDS = { _id: 0, id: 1, title: 1, score: 1, num_comments: 1, permalink: 1 } as const;

@Injectable()
export class SearchRepository {
  private readonly posts: Collection<KeyedPostDocument>;

  constructor(@InjectDb() db: Db) {
    this.posts = db.collection<KeyedPostDocument>(POSTS_COLLECTION);
  }

  /** The hits of these posts, in that order. */
  hits(ids: readonly string[]): Promise<SearchHit[]> {
    return findEachById<KeyedPostDocument, SearchHit>(this.posts, ids, HIT_FIELDS);
  }
}
