import type { IndexDescription } from 'mongodb';
import type { DomainEvent, Preferences } from '@app/contracts';

export const PREFERENCES_COLLECTION = 'preferences';

export interface PreferencesDocument extends Preferences {
  /** Events of changes to these preferences not yet taken by the relay. */
  outbox?: DomainEvent[];
}

export const PREFERENCES_INDEXES: IndexDescription[] = [{ key: { user: 1 }, name: 'user_unique', unique: true }];
