/** Newest first, ties by id: the order of every post list, as a store sort. */
export const NEWEST_FIRST = { created_utc: -1, id: 1 } as const;
