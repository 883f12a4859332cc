import { Injectable } from '@nestjs/common';
import { Collection, Db } from 'mongodb';
import { Recommendation } from '@app/contracts';
import { InjectDb, findEachById } from '@app/data';
import { HIDDEN_POSTS_COLLECTION, HiddenPostsDocument } from '../engagement/engagement.document';
import { KeyedPostDocument, POSTS_COLLECTION } from '@app/posts';

const RECOMMENDATION_FIELDS = {
  _id: 0,
  id: 1,
  title: 1,
  score: 1,
  ups: 1,
  downs: 1,
  num_comments: 1,
  upsanddowns: 1,
} as const;

@Injectable()
export class RecommendationsRepository {
  private readonly posts: Collection<KeyedPostDocument>;
  private readonly hiddenPosts: Collection<HiddenPostsDocument>;

  constructor(@InjectDb() db: Db) {
    this.posts = db.collection<KeyedPostDocument>(POSTS_COLLECTION);
    this.hiddenPosts = db.collection<HiddenPostsDocument>(HIDDEN_POSTS_COLLECTION);
  }

  /** The recommendation fields of these posts, in that order. */
  recommendations(ids: readonly string[]): Promise<Recommendation[]> {
    return findEachById<KeyedPostDocument, Recommendation>(this.posts, ids, RECOMMENDATION_FIELDS);
  }

  async hiddenPostIds(user: string): Promise<string[]> {
    return (await this.hiddenPosts.findOne({ _id: user }))?.posts ?? [];
  }
}
