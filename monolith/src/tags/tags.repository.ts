import { Injectable } from '@nestjs/common';
import { Collection, Db } from 'mongodb';
import { DomainEvent, Post, PostTags } from '@app/contracts';
import { InjectDb, Outbox, findEachById } from '@app/data';
import { HIDDEN_POST_FIELDS, KeyedPostDocument, PostCatalog, POSTS_COLLECTION } from '@app/posts';

/** The slice of a stored post that tag writes touch. */
interface TaggedPostDocument extends PostTags {
  _id: string;
  outbox?: DomainEvent[];
}

const TAG_FIELDS = { _id: 0, id: 1, tags: 1, auto_tags: 1, manual_tags: 1 } as const;

function tagsOf(post: PostTags): PostTags {
  return { id: post.id, tags: post.tags, auto_tags: post.auto_tags, manual_tags: post.manual_tags };
}

@Injectable()
export class TagsRepository {
  private readonly posts: Collection<KeyedPostDocument>;
  private readonly taggedPosts: Collection<TaggedPostDocument>;

  constructor(
    @InjectDb() db: Db,
    private readonly outbox: Outbox,
    private readonly catalog: PostCatalog,
  ) {
    this.posts = db.collection<KeyedPostDocument>(POSTS_COLLECTION);
    this.taggedPosts = db.collection<TaggedPostDocument>(POSTS_COLLECTION);
  }

  /** The posts with these ids, in that order. */
  findEach(ids: readonly string[]): Promise<Post[]> {
    return findEachById<KeyedPostDocument, Post>(this.posts, ids, HIDDEN_POST_FIELDS);
  }

  async findTags(id: string): Promise<PostTags | null> {
    const post = await this.posts.findOne({ _id: id }, { projection: TAG_FIELDS });
    return post && tagsOf(post);
  }

  /**
   * Stores `next` with its event, only while the post's auto tags are still
   * `next.auto_tags` (the union was computed from them); null otherwise or when the post is gone.
   */
  async replaceTags(next: PostTags, event: DomainEvent): Promise<PostTags | null> {
    let before: TaggedPostDocument | null = null;
    const written = await this.outbox.record(POSTS_COLLECTION, next.id, event, async () => {
      // The post as it was: the tags it leaves tell which tag counts move.
      before = await this.taggedPosts.findOneAndUpdate(
        { _id: next.id, auto_tags: next.auto_tags },
        { $set: { manual_tags: next.manual_tags, tags: next.tags }, $push: { outbox: event } },
        { returnDocument: 'before' },
      );
      return before !== null;
    });
    if (!written || before === null) return null;
    const after: KeyedPostDocument = {
      ...(before as KeyedPostDocument),
      manual_tags: next.manual_tags,
      tags: next.tags,
    };
    await this.catalog.changed([{ tagsBefore: (before as KeyedPostDocument).tags ?? [], post: after }]);
    return tagsOf(after);
  }

  /**
   * Stores tags a service set while it owned the route, already in the event
   * log (so without an event of its own); false when the post is gone.
   */
  async replaceOwnedTags(next: PostTags): Promise<boolean> {
    const before = await this.taggedPosts.findOneAndUpdate(
      { _id: next.id },
      { $set: { manual_tags: next.manual_tags, tags: next.tags } },
      { returnDocument: 'before' },
    );
    if (before === null) return false;
    const after: KeyedPostDocument = {
      ...(before as KeyedPostDocument),
      manual_tags: next.manual_tags,
      tags: next.tags,
    };
    await this.catalog.changed([{ tagsBefore: (before as KeyedPostDocument).tags ?? [], post: after }]);
    return true;
  }
}
