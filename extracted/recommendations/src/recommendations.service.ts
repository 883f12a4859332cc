import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Registry } from 'prom-client';
import {
  ApplyEventsResult,
  EVENTS,
  EngagementRecordedPayload,
  PostCreatedPayload,
  PostTaggedPayload,
  Preferences,
  PreferencesUpdatedPayload,
  Recommendation,
  RelayedEvent,
} from '@app/contracts';
import { Ranking, compareRecommendationOrder, isRecommendable, personalise } from '@app/domain';
import { ReadModelMetrics, registerReadModel } from '@app/observability';
import { BulkEventHandler, SerialQueue, applyInOrder } from '@app/transport';
import { Audience } from './audience';
import { Candidate } from './recommendation.documents';
import { RecommendationsRepository } from './recommendations.repository';

export interface Recommendations {
  items: Recommendation[];
}

function candidateOf(post: PostCreatedPayload): Candidate {
  const { id, title, score, ups, downs, num_comments, upsanddowns, tags } = post;
  return { id, title, score, ups, downs, num_comments, upsanddowns, tags };
}

// Rough V8 sizes, for the size gauge (see the search index).
const CANDIDATE_BYTES = 120;
const STRING_BYTES = 16;

function candidateBytes({ id, title, tags }: Candidate): number {
  return CANDIDATE_BYTES + 2 * STRING_BYTES + id.length + title.length + tags.reduce((n, tag) => n + 8 + tag.length, 0);
}

function withoutTags({ tags: _tags, ...recommendation }: Candidate): Recommendation {
  return recommendation;
}

@Injectable()
export class RecommendationsService implements OnApplicationBootstrap {
  /** The recommendable posts, always in recommendation order. */
  private readonly ranking = new Ranking<Candidate>(compareRecommendationOrder);
  /** Every user's hides and tag preferences. */
  private readonly audience = new Audience();
  private readonly rankingMetrics: ReadModelMetrics;
  private readonly audienceMetrics: ReadModelMetrics;

  constructor(
    private readonly store: RecommendationsRepository,
    private readonly writes: SerialQueue,
    registry: Registry,
  ) {
    this.rankingMetrics = registerReadModel(registry, 'recommendations_ranking', () => ({
      documents: this.ranking.all.length,
      bytes: this.ranking.all.reduce((bytes, candidate) => bytes + candidateBytes(candidate), 0),
    }));
    this.audienceMetrics = registerReadModel(registry, 'recommendations_audience', () => ({
      documents: this.audience.size,
      bytes: this.audience.bytes(),
    }));
  }

  /** Rebuilds the ranking and the audience from the service's own store before serving. */
  async onApplicationBootstrap(): Promise<void> {
    await this.reload();
    await this.audienceMetrics.timeRebuild(async () => {
      const hides: { user: string; post_id: string }[] = [];
      for await (const hide of this.store.allHides()) hides.push(hide);
      const preferences: Preferences[] = [];
      for await (const one of this.store.allPreferences()) preferences.push(one);
      this.audience.load(hides, preferences);
    });
  }

  private reload(): Promise<void> {
    return this.rankingMetrics.timeRebuild(async () => {
      const candidates: Candidate[] = [];
      for await (const candidate of this.store.recommendable()) candidates.push(candidate);
      this.ranking.load(candidates);
    });
  }

  top(limit: number): Recommendations {
    return { items: this.ranking.first(limit).map(withoutTags) };
  }

  forUser(user: string, limit: number): Recommendations {
    return { items: personalise(this.ranking.all, this.audience.of(user), limit).map(withoutTags) };
  }

  apply(events: readonly RelayedEvent[]): Promise<ApplyEventsResult> {
    const post: BulkEventHandler = {
      bulk: async (posts) => {
        const candidates = posts.map((event) => candidateOf(event.payload as PostCreatedPayload));
        const applied = await this.store.applyPosts(
          candidates.map((candidate, i) => ({ candidate, position: posts[i].position })),
        );
        candidates.forEach((candidate, i) => applied[i] && this.rank(candidate));
        return applied;
      },
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
          const applied = kind === 'hide' && (await this.store.addHide(user, post_id));
          if (applied) this.audience.hide(user, post_id);
          return applied;
        },
        [EVENTS.preferencesUpdated]: async (event) => {
          const preferences = event.payload as PreferencesUpdatedPayload;
          const applied = await this.store.applyPreferences(preferences, event.position);
          if (applied) this.audience.prefer(preferences);
          return applied;
        },
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
      this.audience.clear();
    });
  }

  private rank(candidate: Candidate): void {
    if (isRecommendable(candidate)) this.ranking.upsert(candidate);
    else this.ranking.remove(candidate.id);
  }
}
