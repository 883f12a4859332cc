import { randomUUID } from 'node:crypto';
import type { EngagementKind, Post } from './post';

/** Event names: `<entity>.<past-tense>`. */
export const EVENTS = {
  postCreated: 'post.created',
  postUpdated: 'post.updated',
  postTagged: 'post.tagged',
  engagementRecorded: 'engagement.recorded',
  preferencesUpdated: 'preferences.updated',
  postsDropped: 'posts.dropped',
} as const;
export type EventName = (typeof EVENTS)[keyof typeof EVENTS];

/** The whole public post: consumers keep the fields they need. */
export type PostCreatedPayload = Post;

export interface PostTaggedPayload {
  id: string;
  auto_tags: string[];
  manual_tags: string[];
  tags: string[];
}

export interface EngagementRecordedPayload {
  post_id: string;
  user: string;
  kind: EngagementKind;
}

export interface PreferencesUpdatedPayload {
  user: string;
  tags: string[];
  hiddenTags: string[];
}

/** Every post was removed at once (a bulk reset such as `import --drop`); posts created later follow it. */
export type PostsDroppedPayload = Record<string, never>;

export interface EventPayloads {
  'post.created': PostCreatedPayload;
  'post.updated': PostCreatedPayload;
  'post.tagged': PostTaggedPayload;
  'engagement.recorded': EngagementRecordedPayload;
  'preferences.updated': PreferencesUpdatedPayload;
  'posts.dropped': PostsDroppedPayload;
}

/** A domain event as recorded beside the change it describes. */
export interface DomainEvent<N extends EventName = EventName> {
  id: string;
  type: N;
  /** The aggregate whose events must stay in order (e.g. `post:abc`). */
  aggregate: string;
  at: number;
  /** Who recorded it: `monolith`, or the service that owns the write after a flip. */
  origin: string;
  payload: EventPayloads[N];
}

export const MONOLITH_ORIGIN = 'monolith';

export function domainEvent<N extends EventName>(
  type: N,
  aggregate: string,
  payload: EventPayloads[N],
  origin: string = MONOLITH_ORIGIN,
): DomainEvent<N> {
  return { id: randomUUID(), type, aggregate, at: Date.now(), origin, payload };
}
