import { Injectable } from '@nestjs/common';
import {
  EVENTS,
  EventName,
  Page,
  PageQueryDto,
  Post,
  PostCreatedPayload,
  PostTaggedPayload,
  PostTags,
  TagCount,
  domainEvent,
  pageLinks,
  skipOf,
} from '@app/contracts';
import { withManualTags } from '@app/domain';
import { NotFoundError } from '@app/platform';
import { EventHandler, SerialQueue } from '@app/transport';
import { TAGGING_ORIGIN } from './tagging.documents';
import { TagsRepository } from './tags.repository';

@Injectable()
export class TagsService {
  constructor(
    private readonly tags: TagsRepository,
    private readonly writes: SerialQueue,
  ) {}

  counts(): Promise<TagCount[]> {
    return this.tags.counts();
  }

  async postsWithTag(tag: string, query: PageQueryDto): Promise<Page<Post>> {
    const { items, total } = await this.tags.pageByTag(tag, skipOf(query), query.limit);
    return { items, page: query.page, limit: query.limit, total, links: pageLinks(`/tags/${tag}/posts`, query, total) };
  }

  async ofPost(id: string): Promise<PostTags> {
    const tags = await this.tags.findTags(id);
    if (!tags) throw new NotFoundError(`post ${id} not found`);
    return tags;
  }

  /**
   * Replaces the manual tags (duplicates collapsed); the stored tags are the
   * union with the auto tags, read in the same queued step so that no event
   * changes them in between.
   */
  replaceManualTags(id: string, requested: string[]): Promise<PostTags> {
    return this.writes.run(async () => {
      const { auto_tags } = await this.ofPost(id);
      const next = { id, ...withManualTags(auto_tags, requested) };
      await this.tags.replaceTags(next, domainEvent(EVENTS.postTagged, `post:${id}`, next, TAGGING_ORIGIN));
      return next;
    });
  }

  /** How the service follows posts: whole posts from creations and updates, tags from tag changes (run queued). */
  readonly eventHandlers: Partial<Record<EventName, EventHandler>> = {
    [EVENTS.postCreated]: (event) => this.tags.applyPost(event.payload as PostCreatedPayload, event.position),
    [EVENTS.postUpdated]: (event) => this.tags.applyPost(event.payload as PostCreatedPayload, event.position),
    [EVENTS.postTagged]: async (event) => {
      const tags = event.payload as PostTaggedPayload;
      // Our own write coming back: already applied when it was made.
      if (event.origin === TAGGING_ORIGIN && (await this.tags.confirmOwnTags(tags.id, event.id))) return false;
      return this.tags.applyTags(tags, event.position);
    },
  };

  clear(): Promise<void> {
    return this.tags.clear();
  }
}
