import { Injectable, OnModuleInit } from '@nestjs/common';
import { Collection, Db } from 'mongodb';
import { DomainEvent, Post, PostTags, TagCount } from '@app/contracts';
import { InjectDb, Outbox, applyAtPosition, countTags, ensureIndexes } from '@app/data';
import { NEWEST_FIRST } from '@app/domain';
import { confirmOwnEvent, recordOwnEvent } from './own-events';
import { BOOKKEEPING_FIELDS, POSTS_COLLECTION, POST_INDEXES, TaggedPostDocument } from './tagging.documents';

const TAG_FIELDS = { _id: 0, id: 1, tags: 1, auto_tags: 1, manual_tags: 1 } as const;

/**
 * Posts keyed by id in `_id`: single posts are looked up by `_id` only, the
 * one look-up the embedded store serves without a scan.
 */
@Injectable()
export class TagsRepository implements OnModuleInit {
  private readonly posts: Collection<TaggedPostDocument>;

  constructor(
    @InjectDb() db: Db,
    private readonly outbox: Outbox,
  ) {
    this.posts = db.collection<TaggedPostDocument>(POSTS_COLLECTION);
  }

  async onModuleInit(): Promise<void> {
    await ensureIndexes(this.posts, POST_INDEXES);
  }

  /** Every tag with the number of posts carrying it, most used first, ties by tag. */
  counts(): Promise<TagCount[]> {
    return countTags(this.posts);
  }

  async pageByTag(tag: string, skip: number, limit: number): Promise<{ items: Post[]; total: number }> {
    const [items, total] = await Promise.all([
      this.posts
        .find<Post>({ tags: tag }, { projection: BOOKKEEPING_FIELDS })
        .sort(NEWEST_FIRST)
        .skip(skip)
        .limit(limit)
        .toArray(),
      this.posts.countDocuments({ tags: tag }),
    ]);
    return { items, total };
  }

  async findTags(id: string): Promise<PostTags | null> {
    const post = await this.posts.findOne({ _id: id }, { projection: TAG_FIELDS });
    return post && { id: post.id, tags: post.tags, auto_tags: post.auto_tags, manual_tags: post.manual_tags };
  }

  /** Stores a post's new manual tags and their union with the auto tags, with the change's event. */
  async replaceTags(next: PostTags, event: DomainEvent): Promise<void> {
    await this.outbox.announce(POSTS_COLLECTION, { _id: next.id }, event);
    await this.posts.updateOne(
      { _id: next.id },
      { $set: { manual_tags: next.manual_tags, tags: next.tags }, ...recordOwnEvent(event) },
    );
  }

  /** Stores a whole post as of stream `position`; false when that event or a later one was applied. */
  applyPost(post: Post, position: number): Promise<boolean> {
    return applyAtPosition(this.posts, post.id, position, post, { upsert: true });
  }

  /** Replaces a known post's tags as of stream `position` (as applyPost). */
  applyTags({ id, tags, auto_tags, manual_tags }: PostTags, position: number): Promise<boolean> {
    return applyAtPosition(this.posts, id, position, { tags, auto_tags, manual_tags }, { upsert: false });
  }

  confirmOwnTags(id: string, eventId: string): Promise<boolean> {
    return confirmOwnEvent(this.posts, id, eventId);
  }

  async clear(): Promise<void> {
    await this.posts.deleteMany({});
  }
}
