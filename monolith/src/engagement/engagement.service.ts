import { Injectable } from '@nestjs/common';
import { EVENTS, EngagementAccepted, EngagementKind, PostStats, domainEvent, engagementAccepted } from '@app/contracts';
import { PostsService } from '../posts/posts.service';
import { engagementId } from './engagement.document';
import { EngagementRepository } from './engagement.repository';

@Injectable()
export class EngagementService {
  constructor(
    private readonly engagements: EngagementRepository,
    private readonly posts: PostsService,
  ) {}

  /** Records the engagement once per (post, user, kind); repeating it is accepted and changes nothing. */
  async record(postId: string, user: string, kind: EngagementKind): Promise<EngagementAccepted> {
    await this.posts.assertExists(postId);
    const event = domainEvent(EVENTS.engagementRecorded, `post:${postId}`, { post_id: postId, user, kind });
    await this.engagements.insert(
      { _id: engagementId(postId, user, kind), post_id: postId, user, kind, at: event.at },
      event,
    );
    return engagementAccepted(postId, user, kind);
  }

  async stats(postId: string): Promise<PostStats> {
    await this.posts.assertExists(postId);
    return this.engagements.statsOf(postId);
  }
}
