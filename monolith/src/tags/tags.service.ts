import { Injectable } from '@nestjs/common';
import {
  EVENTS,
  Page,
  PageQueryDto,
  Post,
  PostTags,
  ReplaceTagsDto,
  TagCount,
  domainEvent,
  pageLinks,
  skipOf,
} from '@app/contracts';
import { withManualTags } from '@app/domain';
import { ConflictError, NotFoundError } from '@app/platform';
import { TagsRepository } from './tags.repository';

/** Attempts at replacing tags while the post's auto tags keep changing under us (a retag running). */
const REPLACE_ATTEMPTS = 3;

@Injectable()
export class TagsService {
  constructor(private readonly tags: TagsRepository) {}

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

  /** Replaces the manual tags (duplicates collapsed); the stored tags are the union with the auto tags. */
  async replaceManualTags(id: string, input: ReplaceTagsDto): Promise<PostTags> {
    for (let attempt = 0; attempt < REPLACE_ATTEMPTS; attempt++) {
      const { auto_tags } = await this.ofPost(id);
      const next = { id, ...withManualTags(auto_tags, input.tags) };
      const saved = await this.tags.replaceTags(next, domainEvent(EVENTS.postTagged, `post:${id}`, next));
      if (saved) return saved;
    }
    throw new ConflictError(`post ${id} kept changing while its tags were replaced; try again`);
  }
}
