import type { TagCount } from '@app/contracts';
import { Ranking, compareIds, compareNewestFirst } from '@app/domain';

/** What the index keeps of a post: enough to count its tags and to order tag pages. */
export interface TaggedEntry {
  id: string;
  created_utc: number;
  tags: readonly string[];
}

// Rough V8 sizes, for the size gauge: an entry object, a pointer (tag strings are shared with the posts).
const ENTRY_BYTES = 64;
const POINTER_BYTES = 8;

/** Most used first, ties by tag, as the store sorts the monolith's tag counts. */
function byCountThenTag(a: TagCount, b: TagCount): number {
  return b.count - a.count || compareIds(a.tag, b.tag);
}

/**
 * Every tag's posts, newest first, kept in memory as events arrive, so that
 * tag counts and tag pages need no query over all posts (the embedded store
 * would decode every one of them).
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
      const ranking = new Ranking<TaggedEntry>(compareNewestFirst);
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
        ranking = new Ranking<TaggedEntry>(compareNewestFirst);
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

  /** Approximate heap bytes of the entries and the per-tag orders, counted when asked (a scrape). */
  get bytes(): number {
    let bytes = 0;
    for (const entry of this.posts.values()) bytes += ENTRY_BYTES + entry.tags.length * POINTER_BYTES;
    for (const ranking of this.byTag.values()) bytes += ENTRY_BYTES + 2 * ranking.all.length * POINTER_BYTES;
    return bytes;
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
