import { Injectable } from '@nestjs/common';
import { Recommendation } from '@app/contracts';
import { personalise } from '@app/domain';
import { PostCatalog, RankedPost } from '@app/posts';
import { PreferencesService } from '../preferences/preferences.service';
import { RecommendationsRepository } from './recommendations.repository';

export interface Recommendations {
  items: Recommendation[];
}

@Injectable()
export class RecommendationsService {
  constructor(
    private readonly catalog: PostCatalog,
    private readonly recommendations: RecommendationsRepository,
    private readonly preferences: PreferencesService,
  ) {}

  async top(limit: number): Promise<Recommendations> {
    const ids: string[] = [];
    for await (const post of this.catalog.recommendable()) {
      if (ids.push(post.id) >= limit) break;
    }
    return { items: await this.recommendations.recommendations(ids) };
  }

  async forUser(user: string, limit: number): Promise<Recommendations> {
    const [hiddenPostIds, { tags, hiddenTags }] = await Promise.all([
      this.recommendations.hiddenPostIds(user),
      this.preferences.get(user),
    ]);
    const who = { hiddenPostIds: new Set(hiddenPostIds), preferredTags: tags, hiddenTags };
    const hidden = new Set(hiddenTags);
    const preferred = new Set(tags);
    // Candidates come in order; reading stops once personalise has its answer: `limit` preferred posts,
    // or `limit` others for a user who prefers no tag.
    const candidates: RankedPost[] = [];
    let preferredCount = 0;
    let othersCount = 0;
    for await (const post of this.catalog.recommendable()) {
      candidates.push(post);
      if (who.hiddenPostIds.has(post.id) || post.tags.some((tag) => hidden.has(tag))) continue;
      if (post.tags.some((tag) => preferred.has(tag))) preferredCount++;
      else othersCount++;
      if (preferredCount >= limit || (preferred.size === 0 && othersCount >= limit)) break;
    }
    const chosen = personalise(candidates, who, limit);
    return { items: await this.recommendations.recommendations(chosen.map((post) => post.id)) };
  }
}
