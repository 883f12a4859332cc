import type { DomainEvent, PostTags, Preferences } from '@app/contracts';
import type { VersionedDocument } from '@app/data';

/** The service's own name, recorded as the origin of the events of the writes it owns. */
export const TAGGING_ORIGIN = 'tagging';

export const POSTS_COLLECTION = 'posts';
export const PREFERENCES_COLLECTION = 'preferences';

/** A document the service also writes itself, after a flip made it the owner of those writes. */
export interface OwnedDocument extends VersionedDocument {
  /** Events of the service's own writes, not yet taken by the relay. */
  outbox?: DomainEvent[];
  /** Ids of own events not yet seen coming back through the stream. */
  unconfirmed_events?: string[];
}

/**
 * The full public post as the monolith's events carry it, `_id` being the
 * post id (stored whole, typed here by the fields the service reads and writes).
 */
export interface TaggedPostDocument extends PostTags, OwnedDocument {
  created_utc: number;
}

/** `_id` is the user name. */
export interface PreferencesDocument extends Preferences, OwnedDocument {}

/** Fields that are the service's bookkeeping, never part of an answer. */
export const BOOKKEEPING_FIELDS = { _id: 0, version: 0, applied: 0, outbox: 0, unconfirmed_events: 0 } as const;
