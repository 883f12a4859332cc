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
import { compareIds, withManualTags } from '@app/domain';
import { ConflictError, NotFoundError } from '@app/platform';
import { PostCatalog } from '@app/posts';
import { TagsRepository } from './tags.repository';

/** Attempts at replacing tags while the post's auto tags keep changing under us (a retag running). */
const REPLACE_ATTEMPTS = 3;

@Injectable()
export class TagsService {
  constructor(
    private readonly catalog: PostCatalog,
    private readonly tags: TagsRepository,
  ) {}

  /** Every tag with the number of posts carrying it, most used first, ties by tag. */
  async counts(): Promise<TagCount[]> {
    const counts = [...(await this.catalog.tagCounts())].map(([tag, count]) => ({ tag, count }));
    return counts.sort((a, b) => b.count - a.count || compareIds(a.tag, b.tag));
  }

  async postsWithTag(tag: string, query: PageQueryDto): Promise<Page<Post>> {
    const [ids, counts] = await Promise.all([
      this.catalog.newestIds(skipOf(query), query.limit, tag),
      this.catalog.tagCounts(),
    ]);
    const items = await this.tags.findEach(ids);
    const total = counts.get(tag) ?? 0;
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
