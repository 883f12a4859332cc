import type { TagCount } from '@app/contracts';
import { Ranking } from '@app/domain';

/** What the index keeps of a post: enough to count its tags and to order tag pages. */
export interface TaggedEntry {
  id: string;
  created_utc: number;
  tags: readonly string[];
}

/** NEWEST_FIRST (created_utc descending, then id), as the store sorts. */
function newestFirst(a: TaggedEntry, b: TaggedEntry): number {
  return b.created_utc - a.created_utc || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Ties in tag counts go by tag in code-unit order, as the store compares strings. */
function byCountThenTag(a: TagCount, b: TagCount): number {
  return b.count - a.count || (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0);
}

/**
 * Every tag's posts, newest first, kept in memory as events arrive, so that
 * tag counts and tag pages need no query over all posts (the embedded store
 * would decode every one of them); a page's posts are then read by `_id`.
 */
export class TagIndex {
  private readonly byTag = new Map<string, Ranking<TaggedEntry>>();
  private readonly posts = new Map<string, TaggedEntry>();

  /** Replaces the contents at once, e.g. from the service's store at start. */
  load(entries: Iterable<TaggedEntry>): void {
    this.clear();
    const grouped = new Map<string, TaggedEntry[]>();
    for (const entry of entries) {
      this.posts.set(entry.id, entry);
      for (const tag of entry.tags) {
        const tagged = grouped.get(tag);
        if (tagged) tagged.push(entry);
        else grouped.set(tag, [entry]);
      }
    }
    for (const [tag, tagged] of grouped) {
      const ranking = new Ranking<TaggedEntry>(newestFirst);
      ranking.load(tagged);
      this.byTag.set(tag, ranking);
    }
  }

  /** Adds a post, or moves it to the tags and place its new values give it. */
  upsert(entry: TaggedEntry): void {
    const previous = this.posts.get(entry.id);
    for (const tag of previous?.tags ?? []) {
      if (!entry.tags.includes(tag)) this.removeFrom(tag, entry.id);
    }
    for (const tag of entry.tags) {
      let ranking = this.byTag.get(tag);
      if (!ranking) {
        ranking = new Ranking<TaggedEntry>(newestFirst);
        this.byTag.set(tag, ranking);
      }
      ranking.upsert(entry);
    }
    this.posts.set(entry.id, entry);
  }

  /** Gives a known post new tags; unknown posts are left alone. */
  retag(id: string, tags: readonly string[]): void {
    const current = this.posts.get(id);
    if (current) this.upsert({ ...current, tags });
  }

  /** Every tag carried by at least one post, most used first. */
  counts(): TagCount[] {
    return [...this.byTag]
      .map(([tag, ranking]) => ({ tag, count: ranking.all.length }))
      .filter(({ count }) => count > 0)
      .sort(byCountThenTag);
  }

  /** The ids of one page of a tag's posts, newest first, and how many posts carry the tag. */
  page(tag: string, skip: number, limit: number): { ids: string[]; total: number } {
    const all = this.byTag.get(tag)?.all ?? [];
    return { ids: all.slice(skip, skip + limit).map((entry) => entry.id), total: all.length };
  }

  clear(): void {
    this.byTag.clear();
    this.posts.clear();
  }

  private removeFrom(tag: string, id: string): void {
    const ranking = this.byTag.get(tag);
    ranking?.remove(id);
    if (ranking && ranking.all.length === 0) this.byTag.delete(tag);
  }
}
