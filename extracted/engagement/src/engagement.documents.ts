import type { DomainEvent, EngagementKind } from '@app/contracts';
import type { VersionedDocument } from '@app/data';

/** The service's own name, recorded as the origin of the events of the engagements it records. */
export const ENGAGEMENT_ORIGIN = 'engagement';

export const KNOWN_POSTS_COLLECTION = 'posts';
export const ENGAGEMENTS_COLLECTION = 'engagements';

/** A post the service heard of; `_id` is the post id. Engagements need the post to exist, nothing more. */
export interface KnownPostDocument extends VersionedDocument {
  id: string;
}

/** One like, share or hide of a post by a user; `_id` is `post_id:user:kind`, so each is stored once. */
export interface EngagementDocument {
  _id: string;
  post_id: string;
  user: string;
  kind: EngagementKind;
  /** Epoch milliseconds of the first time it was recorded. */
  at: number;
  /** Events of engagements the service recorded itself, not yet taken by the relay. */
  outbox?: DomainEvent[];
}

export function engagementId(postId: string, user: string, kind: EngagementKind): string {
  return `${postId}:${user}:${kind}`;
}
