import { randomUUID } from 'node:crypto';
import type { EngagementKind } from './post';

/** Event names: `<entity>.<past-tense>`. */
export const EVENTS = {
  postCreated: 'post.created',
  postTagged: 'post.tagged',
  engagementRecorded: 'engagement.recorded',
  preferencesUpdated: 'preferences.updated',
} as const;
export type EventName = (typeof EVENTS)[keyof typeof EVENTS];

export interface PostCreatedPayload {
  id: string;
  title: string;
  author: string;
  score: number;
  ups: number;
  downs: number;
  upsanddowns: number;
  num_comments: number;
  created_utc: number;
  permalink: string;
  tags: string[];
}

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

export interface EventPayloads {
  'post.created': PostCreatedPayload;
  'post.tagged': PostTaggedPayload;
  'engagement.recorded': EngagementRecordedPayload;
  'preferences.updated': PreferencesUpdatedPayload;
}

/** A domain event as recorded beside the change it describes. */
export interface DomainEvent<N extends EventName = EventName> {
  id: string;
  type: N;
  /** The aggregate whose events must stay in order (e.g. `post:abc`). */
  aggregate: string;
  at: number;
  payload: EventPayloads[N];
}

export function domainEvent<N extends EventName>(type: N, aggregate: string, payload: EventPayloads[N]): DomainEvent<N> {
  return { id: randomUUID(), type, aggregate, at: Date.now(), payload };
}
