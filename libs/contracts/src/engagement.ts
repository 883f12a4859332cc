import { IsIn } from 'class-validator';
import { IsPostId, IsUserName } from './names';
import { ENGAGEMENT_KINDS, EngagementKind, PostStats } from './post';

/** The body of a like, share or hide: who did it. */
export class EngagementDto {
  @IsUserName()
  user: string;
}

/** A like, share or hide as a message: the post, the body's user, and the kind the path names. */
export class RecordEngagementMessage extends EngagementDto {
  /** Worded after the `:id` of the path it comes from, as the monolith words it. */
  @IsPostId('id')
  post_id: string;

  @IsIn(ENGAGEMENT_KINDS, { message: `kind must be one of ${ENGAGEMENT_KINDS.join(', ')}` })
  kind: EngagementKind;
}

/** The 202 answer to a like, share or hide. */
export interface EngagementAccepted {
  status: 'accepted';
  post_id: string;
  user: string;
  kind: EngagementKind;
  links: { stats: string };
}

export function engagementAccepted(post_id: string, user: string, kind: EngagementKind): EngagementAccepted {
  return { status: 'accepted', post_id, user, kind, links: { stats: `/posts/${post_id}/stats` } };
}

/** Stats from the number of engagements of each kind; kinds nobody used count 0. */
export function postStatsOf(countsByKind: ReadonlyMap<EngagementKind, number>): PostStats {
  return {
    likes: countsByKind.get('like') ?? 0,
    shares: countsByKind.get('share') ?? 0,
    hides: countsByKind.get('hide') ?? 0,
  };
}
