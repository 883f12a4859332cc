import type { IndexDescription } from 'mongodb';
import type { DomainEvent, Post } from '@app/contracts';
import { NEWEST_FIRST } from '@app/domain';

export const POSTS_COLLECTION = 'posts';

/** A stored post: the public fields plus what the store needs to query them. */
export interface PostDocument extends Post {
  title_words: string[];
  auto_tags: string[];
  manual_tags: string[];
  /** Events of changes to this post not yet taken by the relay. */
  outbox?: DomainEvent[];
}

/** Fields never shown to clients. */
export const HIDDEN_POST_FIELDS = { _id: 0, title_words: 0, outbox: 0 } as const;

/** Newest first, ties by id: shared with the tagging service through libs/domain. */
export { NEWEST_FIRST };

/** Indexes the monolith's queries need; the importer creates the same ones. */
export const POST_INDEXES: IndexDescription[] = [
  { key: { id: 1 }, name: 'id_unique', unique: true },
  { key: NEWEST_FIRST, name: 'newest_first' },
  { key: { score: -1, num_comments: -1, id: 1 }, name: 'search_order' },
  { key: { upsanddowns: 1, num_comments: -1, id: 1 }, name: 'recommendation_order' },
  { key: { tags: 1 }, name: 'tags' },
];
