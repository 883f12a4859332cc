import { Collection, Document } from 'mongodb';
import type { TagCount } from '@app/contracts';

/**
 * Every tag of a collection of posts with the number of posts carrying it,
 * most used first, ties by tag: GET /tags, answered alike by the monolith and
 * by the tagging service from their own posts.
 */
export async function countTags<T extends Document>(posts: Collection<T>): Promise<TagCount[]> {
  const groups = await posts
    .aggregate<{ _id: string; count: number }>([
      { $unwind: '$tags' },
      { $group: { _id: '$tags', count: { $sum: 1 } } },
      { $sort: { count: -1, _id: 1 } },
    ])
    .toArray();
  // Renamed here because the store's $project cannot rename a field.
  return groups.map(({ _id, count }) => ({ tag: _id, count }));
}
