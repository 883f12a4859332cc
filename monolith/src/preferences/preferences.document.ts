import type { IndexDescription } from 'mongodb';
import type { DomainEvent } from '@app/contracts';

export const PREFERENCES_COLLECTION = 'preferences';

/** What a user wants to see more of (`tags`) and never (`hiddenTags`). */
export interface Preferences {
  user: string;
  tags: string[];
  hiddenTags: string[];
}

export interface PreferencesDocument extends Preferences {
  /** Events of changes to these preferences not yet taken by the relay. */
  outbox?: DomainEvent[];
}

export const PREFERENCES_INDEXES: IndexDescription[] = [{ key: { user: 1 }, name: 'user_unique', unique: true }];
