import { DomainEvent, EVENTS, EngagementKind, MONOLITH_ORIGIN, Post, RelayedEvent, domainEvent } from '@app/contracts';
import type { PostDocument } from '@app/posts';

/** A stored post as its post.created/post.updated event carries it: without the store-only fields. */
export function publicPost(post: PostDocument): Post {
  const { _id: _storeId, title_words: _words, outbox: _outbox, ...rest } = post as PostDocument & { _id?: unknown };
  return rest;
}

export const postCreated = (post: PostDocument) => domainEvent(EVENTS.postCreated, `post:${post.id}`, publicPost(post));

export const postUpdated = (post: PostDocument) => domainEvent(EVENTS.postUpdated, `post:${post.id}`, publicPost(post));

export const postTagged = (
  id: string,
  tags: { auto_tags: string[]; manual_tags: string[]; tags: string[] },
  origin = MONOLITH_ORIGIN,
) => domainEvent(EVENTS.postTagged, `post:${id}`, { id, ...tags }, origin);

export const engagementRecorded = (post_id: string, user: string, kind: EngagementKind, origin = MONOLITH_ORIGIN) =>
  domainEvent(EVENTS.engagementRecorded, `post:${post_id}`, { post_id, user, kind }, origin);

export const preferencesUpdated = (user: string, tags: string[], hiddenTags: string[], origin = MONOLITH_ORIGIN) =>
  domainEvent(EVENTS.preferencesUpdated, `preferences:${user}`, { user, tags, hiddenTags }, origin);

/** Positions events in one stream, as the relay does: each gets the next position. */
export class EventStream {
  private last = 0;

  deliver(...events: DomainEvent[]): { events: RelayedEvent[] } {
    return { events: events.map((event) => this.at(++this.last, event)) };
  }

  /** An event at a chosen position (a redelivery, or an old event arriving late). */
  at(position: number, event: DomainEvent): RelayedEvent {
    return { ...event, position };
  }
}
