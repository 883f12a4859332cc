import { Injectable } from '@nestjs/common';
import { Collection, Db, Filter } from 'mongodb';
import { EngagementKind, Recommendation } from '@app/contracts';
import { InjectDb } from '@app/data';
import { RECOMMENDATION_MIN_SCORE } from '@app/domain';
import { POSTS_COLLECTION, PostDocument } from '../posts/post.document';

/** Written by the engagement feature: `{post_id, user, kind, at}`, unique per (post_id, user, kind). */
const ENGAGEMENTS_COLLECTION = 'engagements';
const HIDE: EngagementKind = 'hide';

const RECOMMENDATION_ORDER = { upsanddowns: 1, num_comments: -1, id: 1 } as const;
const CANDIDATE_FIELDS = {
  _id: 0,
  id: 1,
  title: 1,
  score: 1,
  ups: 1,
  downs: 1,
  num_comments: 1,
  upsanddowns: 1,
  tags: 1,
};

/** A recommendable post with the tags personalisation looks at. */
export interface Candidate extends Recommendation {
  tags?: string[];
}

/** Which tags a candidate must carry one of (`anyOf`) and must carry none of (`noneOf`). */
export interface TagFilter {
  anyOf?: readonly string[];
  noneOf?: readonly string[];
}

interface EngagementDocument {
  post_id: string;
  user: string;
  kind: EngagementKind;
}

@Injectable()
export class RecommendationsRepository {
  private readonly posts: Collection<PostDocument>;
  private readonly engagements: Collection<EngagementDocument>;

  constructor(@InjectDb() db: Db) {
    this.posts = db.collection<PostDocument>(POSTS_COLLECTION);
    this.engagements = db.collection<EngagementDocument>(ENGAGEMENTS_COLLECTION);
  }

  /** The first `limit` recommendable posts passing `tags`, in recommendation order. */
  ranked(limit: number, tags: TagFilter = {}): Promise<Candidate[]> {
    const match: Filter<PostDocument> = { score: { $gt: RECOMMENDATION_MIN_SCORE } };
    const tagCondition = {
      ...(tags.anyOf ? { $in: [...tags.anyOf] } : {}),
      ...(tags.noneOf?.length ? { $nin: [...tags.noneOf] } : {}),
    };
    if (Object.keys(tagCondition).length > 0) match.tags = tagCondition;
    return this.posts
      .aggregate<Candidate>([
        { $match: match },
        { $sort: RECOMMENDATION_ORDER },
        { $limit: limit },
        { $project: CANDIDATE_FIELDS },
      ])
      .toArray();
  }

  hiddenPostIds(user: string): Promise<string[]> {
    return this.engagements.distinct('post_id', { user, kind: HIDE });
  }
}
