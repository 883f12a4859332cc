import { compareIds } from './search-rule';

/** Newest first, ties by id: the order of every post list, as a store sort. */
export const NEWEST_FIRST = { created_utc: -1, id: 1 } as const;

/** NEWEST_FIRST for posts held in memory. */
export function compareNewestFirst(
  a: { created_utc: number; id: string },
  b: { created_utc: number; id: string },
): number {
  return b.created_utc - a.created_utc || compareIds(a.id, b.id);
}
