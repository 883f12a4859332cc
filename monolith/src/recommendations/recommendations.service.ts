import { Injectable } from '@nestjs/common';
import { Recommendation } from '@app/contracts';
import { compareRecommendationOrder, personalise } from '@app/domain';
import { PreferencesService } from '../preferences/preferences.service';
import { Candidate, RecommendationsRepository } from './recommendations.repository';

export interface Recommendations {
  items: Recommendation[];
}

function withoutTags({ tags: _tags, ...recommendation }: Candidate): Recommendation {
  return recommendation;
}

@Injectable()
export class RecommendationsService {
  constructor(
    private readonly recommendations: RecommendationsRepository,
    private readonly preferences: PreferencesService,
  ) {}

  async top(limit: number): Promise<Recommendations> {
    return { items: (await this.recommendations.ranked(limit)).map(withoutTags) };
  }

  async forUser(user: string, limit: number): Promise<Recommendations> {
    const [hiddenPostIds, { tags, hiddenTags }] = await Promise.all([
      this.recommendations.hiddenPostIds(user),
      this.preferences.get(user),
    ]);
    // Hidden tags are filtered by the store; each hidden post can still take one candidate's place.
    const reach = limit + hiddenPostIds.length;
    const [preferred, others] = await Promise.all([
      tags.length > 0 ? this.recommendations.ranked(reach, { anyOf: tags, noneOf: hiddenTags }) : [],
      this.recommendations.ranked(reach, { noneOf: [...hiddenTags, ...tags] }),
    ]);
    const candidates = [...preferred, ...others].sort(compareRecommendationOrder);
    const who = { hiddenPostIds: new Set(hiddenPostIds), preferredTags: tags, hiddenTags };
    return { items: personalise(candidates, who, limit).map(withoutTags) };
  }
}
