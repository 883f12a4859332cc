import { Injectable } from '@nestjs/common';
import { Collection, Db } from 'mongodb';
import { DomainEvent, Post, PostTags, TagCount } from '@app/contracts';
import { InjectDb, Outbox } from '@app/data';
import { HIDDEN_POST_FIELDS, NEWEST_FIRST, POSTS_COLLECTION, PostDocument } from '../posts/post.document';

/** The slice of a stored post that tag writes touch. */
interface TaggedPostDocument extends PostTags {
  outbox?: DomainEvent[];
}

const TAG_FIELDS = { _id: 0, id: 1, tags: 1, auto_tags: 1, manual_tags: 1 } as const;

function tagsOf(post: PostTags): PostTags {
  return { id: post.id, tags: post.tags, auto_tags: post.auto_tags, manual_tags: post.manual_tags };
}

@Injectable()
export class TagsRepository {
  private readonly posts: Collection<PostDocument>;
  private readonly taggedPosts: Collection<TaggedPostDocument>;

  constructor(
    @InjectDb() db: Db,
    private readonly outbox: Outbox,
  ) {
    this.posts = db.collection<PostDocument>(POSTS_COLLECTION);
    this.taggedPosts = db.collection<TaggedPostDocument>(POSTS_COLLECTION);
  }

  /** Every tag with the number of posts carrying it, most used first, ties by tag. */
  async counts(): Promise<TagCount[]> {
    const groups = await this.posts
      .aggregate<{ _id: string; count: number }>([
        { $unwind: '$tags' },
        { $group: { _id: '$tags', count: { $sum: 1 } } },
        { $sort: { count: -1, _id: 1 } },
      ])
      .toArray();
    // Renamed here because the store's $project cannot rename a field.
    return groups.map(({ _id, count }) => ({ tag: _id, count }));
  }

  async pageByTag(tag: string, skip: number, limit: number): Promise<{ items: Post[]; total: number }> {
    const [items, total] = await Promise.all([
      this.posts
        .find({ tags: tag }, { projection: HIDDEN_POST_FIELDS })
        .sort(NEWEST_FIRST)
        .skip(skip)
        .limit(limit)
        .toArray(),
      this.posts.countDocuments({ tags: tag }),
    ]);
    return { items: items as Post[], total };
  }

  async findTags(id: string): Promise<PostTags | null> {
    const post = await this.taggedPosts.findOne({ id }, { projection: TAG_FIELDS });
    return post && tagsOf(post);
  }

  /**
   * Stores `next` with its event, only while the post's auto tags are still
   * `next.auto_tags` (the union was computed from them); null otherwise or when the post is gone.
   */
  async replaceTags(next: PostTags, event: DomainEvent): Promise<PostTags | null> {
    await this.outbox.announce(POSTS_COLLECTION, { id: next.id }, event);
    // No projection: the store cannot project in findAndModify.
    const post = await this.taggedPosts.findOneAndUpdate(
      { id: next.id, auto_tags: next.auto_tags },
      { $set: { manual_tags: next.manual_tags, tags: next.tags }, $push: { outbox: event } },
      { returnDocument: 'after' },
    );
    return post && tagsOf(post);
  }
}
