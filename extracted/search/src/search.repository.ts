import { Injectable } from '@nestjs/common';
import { Collection, Db } from 'mongodb';
import { SearchHit } from '@app/contracts';
import { InjectDb, applyEachAtPosition, deleteChangedBefore } from '@app/data';
import { SEARCH_POSTS_COLLECTION, SearchPostDocument } from './search-hit.document';

/**
 * The service's posts, keyed by post id in `_id`: the embedded store only
 * serves look-ups by `_id` without scanning the whole collection.
 */
@Injectable()
export class SearchRepository {
  private readonly posts: Collection<SearchPostDocument>;

  constructor(@InjectDb() db: Db) {
    this.posts = db.collection<SearchPostDocument>(SEARCH_POSTS_COLLECTION);
  }

  all(): AsyncIterable<SearchHit> {
    return this.posts.find({}, { projection: { _id: 0, id: 1, title: 1, score: 1, num_comments: 1, permalink: 1 } });
  }

  /** Stores each post's state as of its stream `position`, unless that event or a later one was applied already. */
  applySnapshots(snapshots: readonly { hit: SearchHit; position: number }[]): Promise<boolean[]> {
    return applyEachAtPosition(
      this.posts,
      snapshots.map(({ hit, position }) => ({ _id: hit.id, position, state: hit })),
    );
  }

  async clear(): Promise<void> {
    await this.posts.deleteMany({});
  }

  /** Removes the posts a bulk reset at stream `position` removed. */
  dropPostsBefore(position: number): Promise<void> {
    return deleteChangedBefore(this.posts, position);
  }
}
