import type { IndexDescription } from 'mongodb';
import type { DomainEvent, EngagementKind } from '@app/contracts';

/** Also read by the recommendations feature (a user's hidden posts). */
export const ENGAGEMENTS_COLLECTION = 'engagements';

/** One like, share or hide of a post by a user; at most one per (post, user, kind). */
export interface EngagementDocument {
  post_id: string;
  user: string;
  kind: EngagementKind;
  /** Epoch milliseconds of the first time it was recorded. */
  at: number;
  outbox?: DomainEvent[];
}

export const ENGAGEMENT_INDEXES: IndexDescription[] = [
  // The unique index is what makes recording idempotent, also under concurrent requests.
  { key: { post_id: 1, user: 1, kind: 1 }, name: 'post_user_kind_unique', unique: true },
  { key: { user: 1, kind: 1 }, name: 'user_kind' },
];
