import { Injectable } from '@nestjs/common';
import { EVENTS, domainEvent } from '@app/contracts';
import { PreferencesDto } from './dto/preferences.dto';
import { Preferences } from './preferences.document';
import { PreferencesRepository } from './preferences.repository';

/** Tag lists are sets: duplicates collapse and the order is canonical. */
function distinctTags(tags: readonly string[]): string[] {
  return [...new Set(tags)].sort();
}

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
