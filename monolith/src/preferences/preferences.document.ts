import type { DomainEvent, Preferences } from '@app/contracts';

export const PREFERENCES_COLLECTION = 'preferences';

/** A user's preferences, keyed by the user. */
export interface PreferencesDocument extends Preferences {
  _id: string;
  /** Events of changes to these preferences not yet taken by the relay. */
  outbox?: DomainEvent[];
}
