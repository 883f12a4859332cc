import type { IndexDescription } from 'mongodb';
import type { DomainEvent, EngagementKind, PostStats } from '@app/contracts';

export const ENGAGEMENTS_COLLECTION = 'engagements';

/** One like, share or hide of a post by a user, keyed by (post, user, kind): recorded at most once. */
export interface EngagementDocument {
  /** engagementId(post_id, user, kind). */
  _id: string;
  post_id: string;
  user: string;
  kind: EngagementKind;
  /** Epoch milliseconds of the first time it was recorded. */
  at: number;
  outbox?: DomainEvent[];
}

/** Post ids hold no `:` and user names none either, so the key names one (post, user, kind). */
export function engagementId(postId: string, user: string, kind: EngagementKind): string {
  return `${postId}:${user}:${kind}`;
}

/** A post's engagement counts, keyed by the post's id: stats are one look-up. */
export const POST_STATS_COLLECTION = 'post_stats';

export interface PostStatsDocument extends PostStats {
  _id: string;
}

/** The field of PostStats each kind counts in. */
export const STATS_FIELD: Record<EngagementKind, keyof PostStats> = { like: 'likes', share: 'shares', hide: 'hides' };

/** The posts a user hid, keyed by the user: also read by the recommendations feature. */
export const HIDDEN_POSTS_COLLECTION = 'hidden_posts';

export interface HiddenPostsDocument {
  _id: string;
  posts: string[];
}

/** Databases written before engagements were keyed by (post, user, kind) rely on this index for that. */
export const ENGAGEMENT_INDEXES: IndexDescription[] = [
  { key: { post_id: 1, user: 1, kind: 1 }, name: 'post_user_kind_unique', unique: true },
];
