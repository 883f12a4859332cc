import { Injectable } from '@nestjs/common';
import {
  ApplyEventsResult,
  EVENTS,
  EngagementAccepted,
  EngagementRecordedPayload,
  PostCreatedPayload,
  PostStats,
  RelayedEvent,
  domainEvent,
  engagementAccepted,
  postStatsOf,
} from '@app/contracts';
import { NotFoundError } from '@app/platform';
import { applyInOrder } from '@app/transport';
import { ENGAGEMENT_ORIGIN } from './engagement.documents';
import { EngagementRepository } from './engagement.repository';

@Injectable()
export class EngagementService {
  constructor(private readonly engagements: EngagementRepository) {}

  /** Records the engagement once per (post, user, kind); repeating it is accepted and changes nothing. */
  async record({ post_id, user, kind }: EngagementRecordedPayload): Promise<EngagementAccepted> {
    await this.assertPostExists(post_id);
    const engagement = { post_id, user, kind };
    await this.engagements.record(
      engagement,
      domainEvent(EVENTS.engagementRecorded, `post:${post_id}`, engagement, ENGAGEMENT_ORIGIN),
    );
    return engagementAccepted(post_id, user, kind);
  }

  async stats(postId: string): Promise<PostStats> {
    await this.assertPostExists(postId);
    return postStatsOf(await this.engagements.countsByKind(postId));
  }

  /** Follows which posts exist, and engagements recorded elsewhere; its own come back as duplicates, a no-op. */
  apply(events: readonly RelayedEvent[]): Promise<ApplyEventsResult> {
    const post = (event: RelayedEvent) =>
      this.engagements.applyPost((event.payload as PostCreatedPayload).id, event.position);
    return applyInOrder(events, {
      [EVENTS.postCreated]: post,
      [EVENTS.postUpdated]: post,
      [EVENTS.engagementRecorded]: (event) =>
        this.engagements.applyEngagement(event.payload as EngagementRecordedPayload, event.at),
    });
  }

  reset(): Promise<void> {
    return this.engagements.clear();
  }

  private async assertPostExists(id: string): Promise<void> {
    if (!(await this.engagements.postExists(id))) throw new NotFoundError(`post ${id} not found`);
  }
}
