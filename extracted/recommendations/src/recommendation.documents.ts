import type { Preferences, Recommendation } from '@app/contracts';
import type { VersionedDocument } from '@app/data';

export const CANDIDATES_COLLECTION = 'posts';
export const HIDES_COLLECTION = 'hides';
export const PREFERENCES_COLLECTION = 'preferences';

/** A post with what ranking and personalising look at. */
export interface Candidate extends Recommendation {
  tags: string[];
}

/** The service's copy of every post it heard of, recommendable or not (a later update may change that); `_id` is the post id. */
export interface CandidateDocument extends Candidate, VersionedDocument {}

/** A post a user hid (hides are never undone); `_id` is `user:post_id`, so the same hide is stored once. */
export interface HideDocument {
  _id: string;
  user: string;
  post_id: string;
}

export function hideId(user: string, postId: string): string {
  return `${user}:${postId}`;
}

/** `_id` is the user name. */
export interface PreferencesDocument extends Preferences, VersionedDocument {}
