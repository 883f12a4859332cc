import { Injectable } from '@nestjs/common';
import { EVENTS, Preferences, PreferencesDto, domainEvent } from '@app/contracts';
import { distinctTags } from '@app/domain';
import { PreferencesRepository } from './preferences.repository';

@Injectable()
export class PreferencesService {
  constructor(private readonly preferences: PreferencesRepository) {}

  /** A user's preferences; empty lists for a user who saved none. */
  async get(user: string): Promise<Preferences> {
    return (await this.preferences.findByUser(user)) ?? { user, tags: [], hiddenTags: [] };
  }

  save(user: string, input: PreferencesDto): Promise<Preferences> {
    const preferences = { user, tags: distinctTags(input.tags), hiddenTags: distinctTags(input.hiddenTags) };
    return this.preferences.save(
      preferences,
      domainEvent(EVENTS.preferencesUpdated, `preferences:${user}`, preferences),
    );
  }
}
