import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Registry } from 'prom-client';
import {
  EVENTS,
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
import { ReadModelMetrics, registerReadModel } from '@app/observability';
import { NotFoundError } from '@app/platform';
import { BulkEventHandler, EventHandlers, SerialQueue } from '@app/transport';
import { PostShelf } from './post-shelf';
import { TAGGING_ORIGIN } from './tagging.documents';
import { TagIndex, TaggedEntry } from './tag-index';
import { TagsRepository } from './tags.repository';

/** What the tag index keeps of a post. */
function entryOf({ id, created_utc, tags }: Post): TaggedEntry {
  return { id, created_utc, tags };
}

@Injectable()
export class TagsService implements OnApplicationBootstrap {
  private readonly index = new TagIndex();
  /** The posts themselves, as the store holds them; the index orders them by tag. */
  private readonly shelf = new PostShelf();
  private readonly metrics: ReadModelMetrics;

  constructor(
    private readonly tags: TagsRepository,
    private readonly writes: SerialQueue,
    registry: Registry,
  ) {
    this.metrics = registerReadModel(registry, 'tagged_posts', () => ({
      documents: this.shelf.size,
      bytes: this.shelf.bytes + this.index.bytes,
    }));
  }

  /** Rebuilds the posts and the tag index from the service's own store before serving. */
  async onApplicationBootstrap(): Promise<void> {
    await this.reload();
  }

  private reload(): Promise<void> {
    return this.metrics.timeRebuild(async () => {
      this.shelf.clear();
      const entries: TaggedEntry[] = [];
      for await (const post of this.tags.all()) {
        this.shelf.put(post);
        entries.push(entryOf(post));
      }
      this.index.load(entries);
    });
  }

  counts(): TagCount[] {
    return this.index.counts();
  }

  postsWithTag(tag: string, query: PageQueryDto): Page<Post> {
    const { ids, total } = this.index.page(tag, skipOf(query), query.limit);
    const items = ids.map((id) => this.shelf.get(id)).filter((post): post is Post => post !== undefined);
    return { items, page: query.page, limit: query.limit, total, links: pageLinks(`/tags/${tag}/posts`, query, total) };
  }

  ofPost(id: string): PostTags {
    const post = this.shelf.get(id);
    if (!post) throw new NotFoundError(`post ${id} not found`);
    return { id, tags: post.tags, auto_tags: post.auto_tags as string[], manual_tags: post.manual_tags as string[] };
  }

  /**
   * Replaces the manual tags (duplicates collapsed); the stored tags are the
   * union with the auto tags, read in the same queued step so that no event
   * changes them in between.
   */
  replaceManualTags(id: string, requested: string[]): Promise<PostTags> {
    return this.writes.run(async () => {
      const { auto_tags } = this.ofPost(id);
      const next = { id, ...withManualTags(auto_tags, requested) };
      await this.tags.replaceTags(next, domainEvent(EVENTS.postTagged, `post:${id}`, next, TAGGING_ORIGIN));
      this.shelf.merge({ id, manual_tags: next.manual_tags, tags: next.tags });
      this.index.retag(id, next.tags);
      return next;
    });
  }

  /** How the service follows posts: whole posts from creations and updates, tags from tag changes (run queued). */
  private readonly posts: BulkEventHandler = {
    bulk: async (events) => {
      const posts = events.map((event) => event.payload as PostCreatedPayload);
      const applied = await this.tags.applyPosts(posts.map((post, i) => ({ post, position: events[i].position })));
      posts.forEach((post, i) => applied[i] && this.index.upsert(entryOf(this.shelf.merge(post))));
      return applied;
    },
  };

  readonly eventHandlers: EventHandlers = {
    [EVENTS.postCreated]: this.posts,
    [EVENTS.postUpdated]: this.posts,
    [EVENTS.postTagged]: async (event) => {
      const tags = event.payload as PostTaggedPayload;
      // Our own write coming back: already applied when it was made.
      if (event.origin === TAGGING_ORIGIN && (await this.tags.confirmOwnTags(tags.id, event.id))) return false;
      const applied = await this.tags.applyTags(tags, event.position);
      if (applied) {
        this.shelf.merge({ id: tags.id, tags: tags.tags, auto_tags: tags.auto_tags, manual_tags: tags.manual_tags });
        this.index.retag(tags.id, tags.tags);
      }
      return applied;
    },
    [EVENTS.postsDropped]: async (event) => {
      await this.tags.dropPostsBefore(event.position);
      await this.reload();
      return true;
    },
  };

  async clear(): Promise<void> {
    await this.tags.clear();
    this.shelf.clear();
    this.index.clear();
  }
}
