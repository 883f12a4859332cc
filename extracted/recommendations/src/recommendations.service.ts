import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import {
  ApplyEventsResult,
  EVENTS,
  EngagementRecordedPayload,
  PostCreatedPayload,
  PostTaggedPayload,
  PreferencesUpdatedPayload,
  Recommendation,
  RelayedEvent,
} from '@app/contracts';
import { Ranking, compareRecommendationOrder, isRecommendable, personalise } from '@app/domain';
import { SerialQueue, applyInOrder } from '@app/transport';
import { Candidate } from './recommendation.documents';
import { RecommendationsRepository } from './recommendations.repository';

export interface Recommendations {
  items: Recommendation[];
}

function candidateOf(post: PostCreatedPayload): Candidate {
  const { id, title, score, ups, downs, num_comments, upsanddowns, tags } = post;
  return { id, title, score, ups, downs, num_comments, upsanddowns, tags };
}

function withoutTags({ tags: _tags, ...recommendation }: Candidate): Recommendation {
  return recommendation;
}

@Injectable()
export class RecommendationsService implements OnApplicationBootstrap {
  /** The recommendable posts, always in recommendation order. */
  private readonly ranking = new Ranking<Candidate>(compareRecommendationOrder);
  /** Deliveries and resets, one at a time: the ranking then follows the store's order of writes. */
  private readonly writes = new SerialQueue();

  constructor(private readonly store: RecommendationsRepository) {}

  /** Rebuilds the ranking from the service's own store before serving. */
  async onApplicationBootstrap(): Promise<void> {
    await this.reload();
  }

  private async reload(): Promise<void> {
    const candidates: Candidate[] = [];
    for await (const candidate of this.store.recommendable()) candidates.push(candidate);
    this.ranking.load(candidates);
  }

  top(limit: number): Recommendations {
    return { items: this.ranking.first(limit).map(withoutTags) };
  }

  async forUser(user: string, limit: number): Promise<Recommendations> {
    const [hiddenPostIds, preferences] = await Promise.all([
      this.store.hiddenPostIds(user),
      this.store.findPreferences(user),
    ]);
    const who = {
      hiddenPostIds: new Set(hiddenPostIds),
      preferredTags: preferences?.tags ?? [],
      hiddenTags: preferences?.hiddenTags ?? [],
    };
    return { items: personalise(this.ranking.all, who, limit).map(withoutTags) };
  }

  apply(events: readonly RelayedEvent[]): Promise<ApplyEventsResult> {
    const post = async (event: RelayedEvent) => {
      const candidate = candidateOf(event.payload as PostCreatedPayload);
      const applied = await this.store.applyPost(candidate, event.position);
      if (applied) this.rank(candidate);
      return applied;
    };
    return this.writes.run(() =>
      applyInOrder(events, {
        [EVENTS.postCreated]: post,
        [EVENTS.postUpdated]: post,
        [EVENTS.postTagged]: async (event) => {
          const { id, tags } = event.payload as PostTaggedPayload;
          const applied = await this.store.applyTags(id, tags, event.position);
          const ranked = this.ranking.get(id);
          if (applied && ranked) this.ranking.upsert({ ...ranked, tags });
          return applied;
        },
        [EVENTS.engagementRecorded]: async (event) => {
          const { post_id, user, kind } = event.payload as EngagementRecordedPayload;
          return kind === 'hide' && this.store.addHide(user, post_id);
        },
        [EVENTS.preferencesUpdated]: (event) =>
          this.store.applyPreferences(event.payload as PreferencesUpdatedPayload, event.position),
        [EVENTS.postsDropped]: async (event) => {
          await this.store.dropPostsBefore(event.position);
          await this.reload();
          return true;
        },
      }),
    );
  }

  reset(): Promise<void> {
    return this.writes.run(async () => {
      await this.store.clear();
      this.ranking.clear();
    });
  }

  private rank(candidate: Candidate): void {
    if (isRecommendable(candidate)) this.ranking.upsert(candidate);
    else this.ranking.remove(candidate.id);
  }
}
