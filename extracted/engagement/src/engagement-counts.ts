import { EngagementKind, PostStats } from '@app/contracts';

// Rough V8 sizes, for the size gauge: a set or map entry with its key string, a small counts object.
const ENTRY_BYTES = 48;
const STRING_BYTES = 16;
const COUNTS_BYTES = 56;

const STAT_OF: Record<EngagementKind, keyof PostStats> = { like: 'likes', share: 'shares', hide: 'hides' };

/**
 * Which posts exist and how many likes, shares and hides each has, held in
 * memory so that stats and the existence check read nothing from the store.
 */
export class EngagementCounts {
  private readonly known = new Set<string>();
  private readonly counts = new Map<string, PostStats>();
  private engagements = 0;

  /** Posts and engagements held. */
  get size(): number {
    return this.known.size + this.engagements;
  }

  /** Approximate heap bytes, counted when asked (a scrape). */
  get bytes(): number {
    let bytes = 0;
    for (const id of this.known) bytes += ENTRY_BYTES + STRING_BYTES + id.length;
    for (const id of this.counts.keys()) bytes += ENTRY_BYTES + STRING_BYTES + id.length + COUNTS_BYTES;
    return bytes;
  }

  /** Replaces the contents at once, e.g. from the service's store at start. */
  load(postIds: Iterable<string>, engagements: Iterable<{ post_id: string; kind: EngagementKind }>): void {
    this.clear();
    for (const id of postIds) this.known.add(id);
    for (const { post_id, kind } of engagements) this.count(post_id, kind);
  }

  knowPost(id: string): void {
    this.known.add(id);
  }

  isKnown(id: string): boolean {
    return this.known.has(id);
  }

  /** Counts one more engagement; the caller counts each (post, user, kind) once. */
  count(postId: string, kind: EngagementKind): void {
    let stats = this.counts.get(postId);
    if (!stats) {
      stats = { likes: 0, shares: 0, hides: 0 };
      this.counts.set(postId, stats);
    }
    stats[STAT_OF[kind]] += 1;
    this.engagements += 1;
  }

  statsOf(postId: string): PostStats {
    return { ...(this.counts.get(postId) ?? { likes: 0, shares: 0, hides: 0 }) };
  }

  clear(): void {
    this.known.clear();
    this.counts.clear();
    this.engagements = 0;
  }
}
