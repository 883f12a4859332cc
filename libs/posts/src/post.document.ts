import type { DomainEvent, Post } from '@app/contracts';

export const POSTS_COLLECTION = 'posts';

/** A stored post: the public fields plus what the store needs to query them. */
export interface PostDocument extends Post {
  title_words: string[];
  auto_tags: string[];
  manual_tags: string[];
  /** Events of changes to this post not yet taken by the relay. */
  outbox?: DomainEvent[];
  /** The event of the bulk write (an import) that last wrote the post, carried by its announcement. */
  announced_event?: string;
}

/** A post as stored: keyed by its id, the store's only cheap look-up. */
export type KeyedPostDocument = PostDocument & { _id: string };

/** The stored form of a post: `_id` is its id. */
export function keyedPost<T extends { id: string }>(post: T): T & { _id: string } {
  return { _id: post.id, ...post };
}

/** Fields never shown to clients. */
export const HIDDEN_POST_FIELDS = { _id: 0, title_words: 0, outbox: 0, announced_event: 0 } as const;
