import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Registry } from 'prom-client';
import { EVENTS, Preferences, PreferencesUpdatedPayload, domainEvent } from '@app/contracts';
import { distinctTags } from '@app/domain';
import { ReadModelMetrics, registerReadModel } from '@app/observability';
import { EventHandlers, SerialQueue } from '@app/transport';
import { PreferencesRepository } from './preferences.repository';
import { TAGGING_ORIGIN } from './tagging.documents';

// Rough V8 sizes, for the size gauge: an object with its two arrays, a string header.
const ENTRY_BYTES = 120;
const STRING_BYTES = 16;

/** Users' preferences, served from memory; the store keeps them for restarts. */
@Injectable()
export class PreferencesService implements OnApplicationBootstrap {
  private readonly byUser = new Map<string, Preferences>();
  private readonly metrics: ReadModelMetrics;

  constructor(
    private readonly preferences: PreferencesRepository,
    private readonly writes: SerialQueue,
    registry: Registry,
  ) {
    this.metrics = registerReadModel(registry, 'preferences', () => ({
      documents: this.byUser.size,
      bytes: this.bytes(),
    }));
  }

  /** Loads every user's preferences from the service's own store before serving. */
  async onApplicationBootstrap(): Promise<void> {
    await this.metrics.timeRebuild(async () => {
      this.byUser.clear();
      for await (const preferences of this.preferences.all()) this.byUser.set(preferences.user, preferences);
    });
  }

  /** A user's preferences; empty lists for a user who saved none. */
  get(user: string): Preferences {
    return this.byUser.get(user) ?? { user, tags: [], hiddenTags: [] };
  }

  /** Tag lists are stored as sets; queued, so that no event's read-then-write straddles it. */
  save(user: string, tags: string[], hiddenTags: string[]): Promise<Preferences> {
    const preferences = { user, tags: distinctTags(tags), hiddenTags: distinctTags(hiddenTags) };
    const event = domainEvent(EVENTS.preferencesUpdated, `preferences:${user}`, preferences, TAGGING_ORIGIN);
    return this.writes.run(async () => {
      await this.preferences.save(preferences, event);
      this.byUser.set(user, preferences);
      return preferences;
    });
  }

  /** How the service follows preferences changed elsewhere (run queued). */
  readonly eventHandlers: EventHandlers = {
    [EVENTS.preferencesUpdated]: async (event) => {
      const { user, tags, hiddenTags } = event.payload as PreferencesUpdatedPayload;
      // Our own write coming back: already applied when it was made.
      if (event.origin === TAGGING_ORIGIN && (await this.preferences.confirmOwnPreferences(user, event.id))) {
        return false;
      }
      const preferences = { user, tags, hiddenTags };
      const applied = await this.preferences.applyPreferences(preferences, event.position);
      if (applied) this.byUser.set(user, preferences);
      return applied;
    },
  };

  async clear(): Promise<void> {
    await this.preferences.clear();
    this.byUser.clear();
  }

  /** Approximate heap bytes, counted when asked (a scrape). */
  private bytes(): number {
    let bytes = 0;
    for (const { user, tags, hiddenTags } of this.byUser.values()) {
      bytes += ENTRY_BYTES + STRING_BYTES + user.length;
      for (const tag of [...tags, ...hiddenTags]) bytes += STRING_BYTES + tag.length + 8;
    }
    return bytes;
  }
}
