import type { SearchHit } from '@app/contracts';

export const SEARCH_POSTS_COLLECTION = 'posts';

/** The search service's own copy of a post: what a hit shows and ranks by. */
export interface SearchPostDocument extends SearchHit {
  /** The post id. */
  _id: string;
  /** Stream position of the last event applied to this post. */
  version: number;
  /** How many events were applied to this post (each exactly once). */
  applied: number;
}
