import { Injectable } from '@nestjs/common';
import { Collection, Db } from 'mongodb';
import { DomainEvent, Post, PostTags } from '@app/contracts';
import { InjectDb, Outbox, applyAtPosition, applyEachAtPosition, deleteChangedBefore } from '@app/data';
import { confirmOwnEvent, recordOwnEvent } from './own-events';
import { BOOKKEEPING_FIELDS, POSTS_COLLECTION, TaggedPostDocument } from './tagging.documents';

/**
 * Posts keyed by id in `_id` and only ever looked up by `_id`, the one
 * look-up the embedded store serves without a scan. Reads are served from
 * memory; the store is read whole once, at start.
 */
@Injectable()
export class TagsRepository {
  private readonly posts: Collection<TaggedPostDocument>;

  constructor(
    @InjectDb() db: Db,
    private readonly outbox: Outbox,
  ) {
    this.posts = db.collection<TaggedPostDocument>(POSTS_COLLECTION);
  }

  /** Every stored post as served, read once at start. */
  all(): AsyncIterable<Post> {
    return this.posts.find<Post>({}, { projection: BOOKKEEPING_FIELDS });
  }

  /** Stores a post's new manual tags and their union with the auto tags, with the change's event. */
  async replaceTags(next: PostTags, event: DomainEvent): Promise<void> {
    await this.outbox.record(POSTS_COLLECTION, next.id, event, async () => {
      await this.posts.updateOne(
        { _id: next.id },
        { $set: { manual_tags: next.manual_tags, tags: next.tags }, ...recordOwnEvent(event) },
      );
      return true;
    });
  }

  /** Stores whole posts as of their stream `position`s; for each, false when that event or a later one was applied. */
  applyPosts(posts: readonly { post: Post; position: number }[]): Promise<boolean[]> {
    return applyEachAtPosition(
      this.posts,
      posts.map(({ post, position }) => ({ _id: post.id, position, state: post })),
    );
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

  /** Removes the posts a bulk reset at stream `position` removed. */
  dropPostsBefore(position: number): Promise<void> {
    return deleteChangedBefore(this.posts, position);
  }
}
