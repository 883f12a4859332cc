import type { SearchHit } from '@app/contracts';
import type { VersionedDocument } from '@app/data';

export const SEARCH_POSTS_COLLECTION = 'posts';

/** The search service's own copy of a post: what a hit shows and ranks by. */
export interface SearchPostDocument extends SearchHit, VersionedDocument {}
