import { Injectable, OnModuleInit } from '@nestjs/common';
import type { AnyBulkWriteOperation, Collection, Db, IndexDescription } from 'mongodb';
import { InjectDb, SerialWrites, ensureIndexes } from '@app/data';

/**
 * The compact projection of every post: only what lists, search and
 * recommendations filter and sort on, keyed by the post's id. Queries that
 * order posts read these small documents (the embedded store decodes every
 * document of a collection it filters, so a small document is a cheap one),
 * then read the few posts they answer with by `_id`.
 */
export const POST_INDEX_COLLECTION = 'post_index';

/** Totals kept as posts come and go, so that no page recounts the collection. */
export const POST_COUNTERS_COLLECTION = 'post_counters';

export interface PostIndexEntry {
  /** The post's id. */
  _id: string;
  created_utc: number;
  score: number;
  num_comments: number;
  upsanddowns: number;
  tags: string[];
  title_words: string[];
}

/** What an index entry is made of: any stored post, even one loaded without derived fields. */
export type IndexedPost = Pick<PostIndexEntry, 'created_utc' | 'score' | 'num_comments' | 'upsanddowns'> & {
  id: string;
  tags?: string[];
  title_words?: string[];
};

type PostsTotal = { _id: 'posts'; count: number };
/** Posts per tag, the tag as field name (tags are `[a-z0-9][a-z0-9-]*`, safe as field names). */
type TagTotals = { _id: 'tags'; counts: Record<string, number> };
type CounterDocument = PostsTotal | TagTotals;

/** Newest first, ties by id (NEWEST_FIRST on the index). */
export const INDEX_NEWEST_FIRST = { created_utc: -1, _id: 1 } as const;
/** Search order: score desc, num_comments desc, id asc. */
export const INDEX_SEARCH_ORDER = { score: -1, num_comments: -1, _id: 1 } as const;
/** Recommendation order: upsanddowns asc, num_comments desc, id asc. */
export const INDEX_RECOMMENDATION_ORDER = { upsanddowns: 1, num_comments: -1, _id: 1 } as const;

/** What make the same queries use indexes on MongoDB. */
export const POST_INDEX_INDEXES: IndexDescription[] = [
  { key: INDEX_NEWEST_FIRST, name: 'newest_first' },
  { key: INDEX_SEARCH_ORDER, name: 'search_order' },
  { key: INDEX_RECOMMENDATION_ORDER, name: 'recommendation_order' },
  { key: { tags: 1, ...INDEX_NEWEST_FIRST }, name: 'tag_newest_first' },
  { key: { title_words: 1 }, name: 'title_words' },
];

/** Entries written per command: FerretDB 1.24 stalls on commands of 100 writes or more. */
const WRITES_PER_COMMAND = 50;

export function indexEntryOf(post: IndexedPost): PostIndexEntry {
  return {
    _id: post.id,
    created_utc: post.created_utc,
    score: post.score,
    num_comments: post.num_comments,
    upsanddowns: post.upsanddowns,
    tags: post.tags ?? [],
    title_words: post.title_words ?? [],
  };
}

/** How each tag's count moves when a post's tags go from `before` to `after`; unchanged tags are absent. */
export function tagCountChanges(before: readonly string[], after: readonly string[]): Map<string, number> {
  const changes = new Map<string, number>();
  for (const tag of new Set(before)) changes.set(tag, -1);
  for (const tag of new Set(after)) {
    if (changes.has(tag)) changes.delete(tag);
    else changes.set(tag, 1);
  }
  return changes;
}

/** What recommendations rank a post by. */
export interface RankedPost {
  id: string;
  score: number;
  upsanddowns: number;
  num_comments: number;
  tags: string[];
}

/** A post changed in place: its tags before the change and the post after it. */
export interface PostChange {
  tagsBefore: readonly string[];
  post: IndexedPost;
}

/**
 * Keeps the post index and the post totals in step with the posts: every
 * write of a post is followed by one of these calls. Both are derived data:
 * a reindex job rebuilds them from the posts.
 */
@Injectable()
export class PostCatalog implements OnModuleInit {
  private readonly entries: Collection<PostIndexEntry>;
  private readonly counters: Collection<CounterDocument>;
  private readonly counterWrites = new SerialWrites();

  constructor(@InjectDb() db: Db) {
    this.entries = db.collection<PostIndexEntry>(POST_INDEX_COLLECTION);
    this.counters = db.collection<CounterDocument>(POST_COUNTERS_COLLECTION);
  }

  async onModuleInit(): Promise<void> {
    await this.ensureIndexes();
  }

  ensureIndexes(): Promise<void> {
    return ensureIndexes(this.entries, POST_INDEX_INDEXES);
  }

  /** New posts: indexed and counted. */
  async added(posts: readonly IndexedPost[]): Promise<void> {
    if (posts.length === 0) return;
    await this.putEntries(posts);
    await this.counterWrites.run('posts', () =>
      this.counters.updateOne({ _id: 'posts' }, { $inc: { count: posts.length } }, { upsert: true }),
    );
    const changes = new Map<string, number>();
    for (const post of posts)
      for (const [tag, change] of tagCountChanges([], post.tags ?? [])) add(changes, tag, change);
    await this.moveTagCounts(changes);
  }

  /** Posts changed in place: their entries rewritten, tag counts moved. */
  async changed(changes: readonly PostChange[]): Promise<void> {
    if (changes.length === 0) return;
    await this.putEntries(changes.map(({ post }) => post));
    const moves = new Map<string, number>();
    for (const { tagsBefore, post } of changes) {
      for (const [tag, change] of tagCountChanges(tagsBefore, post.tags ?? [])) add(moves, tag, change);
    }
    await this.moveTagCounts(moves);
  }

  /** Replaces both totals, as counted by a full pass over the posts. */
  async resetTotals(posts: number, tagCounts: ReadonlyMap<string, number>): Promise<void> {
    await this.counterWrites.run('posts', () =>
      this.counters.replaceOne({ _id: 'posts' }, { _id: 'posts', count: posts }, { upsert: true }),
    );
    await this.counterWrites.run('tags', () =>
      this.counters.replaceOne(
        { _id: 'tags' },
        { _id: 'tags', counts: Object.fromEntries(tagCounts) },
        { upsert: true },
      ),
    );
  }

  /** Forgets every post (the posts themselves were dropped). */
  async clear(): Promise<void> {
    await this.entries.deleteMany({});
    await this.counters.deleteMany({});
  }

  async total(): Promise<number> {
    const total = (await this.counters.findOne({ _id: 'posts' })) as PostsTotal | null;
    return total?.count ?? 0;
  }

  /** Posts per tag, tags no post carries left out. */
  async tagCounts(): Promise<Map<string, number>> {
    const totals = (await this.counters.findOne({ _id: 'tags' })) as TagTotals | null;
    return new Map(Object.entries(totals?.counts ?? {}).filter(([, count]) => count > 0));
  }

  /** Ids of one page of posts, newest first; only posts carrying `tag` when given. */
  async newestIds(skip: number, limit: number, tag?: string): Promise<string[]> {
    const entries = await this.entries
      .find(tag === undefined ? {} : { tags: tag }, { projection: { _id: 1 } })
      .sort(INDEX_NEWEST_FIRST)
      .skip(skip)
      .limit(limit)
      .toArray();
    return entries.map(({ _id }) => _id);
  }

  /**
   * Ids of every post with a title word starting with each of `words`
   * (lower-case [a-z0-9] runs, so regex-safe), in search order: one query
   * gives both the page and the total.
   */
  async matchingIds(words: readonly string[]): Promise<string[]> {
    const filter = { $and: words.map((word) => ({ title_words: { $regex: `^${word}` } })) };
    const entries = await this.entries
      .find(filter, { projection: { _id: 1 } })
      .sort(INDEX_SEARCH_ORDER)
      .toArray();
    return entries.map(({ _id }) => _id);
  }

  /** Recommendable posts in recommendation order, read lazily: callers stop once they have enough. */
  async *recommendable(minScore: number): AsyncGenerator<RankedPost> {
    const cursor = this.entries
      .find(
        { score: { $gt: minScore } },
        { projection: { _id: 1, score: 1, upsanddowns: 1, num_comments: 1, tags: 1 } },
      )
      .sort(INDEX_RECOMMENDATION_ORDER);
    try {
      for await (const { _id, ...ranked } of cursor) yield { id: _id, ...ranked };
    } finally {
      await cursor.close();
    }
  }

  private async putEntries(posts: readonly IndexedPost[]): Promise<void> {
    const writes: AnyBulkWriteOperation<PostIndexEntry>[] = posts.map((post) => {
      const entry = indexEntryOf(post);
      return { replaceOne: { filter: { _id: entry._id }, replacement: entry, upsert: true } };
    });
    for (let start = 0; start < writes.length; start += WRITES_PER_COMMAND) {
      await this.entries.bulkWrite(writes.slice(start, start + WRITES_PER_COMMAND), { ordered: false });
    }
  }

  private async moveTagCounts(changes: ReadonlyMap<string, number>): Promise<void> {
    const inc = Object.fromEntries(
      [...changes].filter(([, change]) => change !== 0).map(([tag, n]) => [`counts.${tag}`, n]),
    );
    if (Object.keys(inc).length === 0) return;
    await this.counterWrites.run('tags', () =>
      this.counters.updateOne({ _id: 'tags' }, { $inc: inc }, { upsert: true }),
    );
  }
}

function add(changes: Map<string, number>, tag: string, change: number): void {
  changes.set(tag, (changes.get(tag) ?? 0) + change);
}
