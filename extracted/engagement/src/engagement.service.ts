import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Registry } from 'prom-client';
import {
  ApplyEventsResult,
  EVENTS,
  EngagementAccepted,
  EngagementKind,
  EngagementRecordedPayload,
  PostCreatedPayload,
  PostStats,
  RelayedEvent,
  domainEvent,
  engagementAccepted,
} from '@app/contracts';
import { ReadModelMetrics, registerReadModel } from '@app/observability';
import { NotFoundError } from '@app/platform';
import { BulkEventHandler, SerialQueue, applyInOrder } from '@app/transport';
import { EngagementCounts } from './engagement-counts';
import { ENGAGEMENT_ORIGIN } from './engagement.documents';
import { EngagementRepository } from './engagement.repository';

@Injectable()
export class EngagementService implements OnApplicationBootstrap {
  private readonly counts = new EngagementCounts();
  private readonly metrics: ReadModelMetrics;

  constructor(
    private readonly engagements: EngagementRepository,
    private readonly writes: SerialQueue,
    registry: Registry,
  ) {
    this.metrics = registerReadModel(registry, 'engagement_counts', () => ({
      documents: this.counts.size,
      bytes: this.counts.bytes,
    }));
  }

  /** Rebuilds the known posts and the counts from the service's own store before serving. */
  onApplicationBootstrap(): Promise<void> {
    return this.metrics.timeRebuild(async () => {
      const postIds: string[] = [];
      for await (const id of this.engagements.postIds()) postIds.push(id);
      const engagements: { post_id: string; kind: EngagementKind }[] = [];
      for await (const engagement of this.engagements.all()) engagements.push(engagement);
      this.counts.load(postIds, engagements);
    });
  }

  /** Records the engagement once per (post, user, kind); repeating it is accepted and changes nothing. */
  record({ post_id, user, kind }: EngagementRecordedPayload): Promise<EngagementAccepted> {
    return this.writes.run(async () => {
      this.assertPostExists(post_id);
      const engagement = { post_id, user, kind };
      const event = domainEvent(EVENTS.engagementRecorded, `post:${post_id}`, engagement, ENGAGEMENT_ORIGIN);
      if (await this.engagements.record(engagement, event)) this.counts.count(post_id, kind);
      return engagementAccepted(post_id, user, kind);
    });
  }

  stats(postId: string): PostStats {
    this.assertPostExists(postId);
    return this.counts.statsOf(postId);
  }

  /** Follows which posts exist, and engagements recorded elsewhere; its own come back as duplicates, a no-op. */
  apply(events: readonly RelayedEvent[]): Promise<ApplyEventsResult> {
    const post: BulkEventHandler = {
      bulk: async (posts) => {
        const ids = posts.map((event) => (event.payload as PostCreatedPayload).id);
        const applied = await this.engagements.applyPosts(ids.map((id, i) => ({ id, position: posts[i].position })));
        ids.forEach((id, i) => applied[i] && this.counts.knowPost(id));
        return applied;
      },
    };
    return this.writes.run(() =>
      applyInOrder(events, {
        [EVENTS.postCreated]: post,
        [EVENTS.postUpdated]: post,
        [EVENTS.engagementRecorded]: async (event) => {
          const engagement = event.payload as EngagementRecordedPayload;
          const applied = await this.engagements.applyEngagement(engagement, event.at);
          if (applied) this.counts.count(engagement.post_id, engagement.kind);
          return applied;
        },
      }),
    );
  }

  reset(): Promise<void> {
    return this.writes.run(async () => {
      await this.engagements.clear();
      this.counts.clear();
    });
  }

  private assertPostExists(id: string): void {
    if (!this.counts.isKnown(id)) throw new NotFoundError(`post ${id} not found`);
  }
}
