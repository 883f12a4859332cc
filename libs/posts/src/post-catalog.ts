import { Injectable, OnModuleInit } from '@nestjs/common';
import {
  AnyBulkWriteOperation,
  Collection,
  Db,
  Document,
  IndexDescription,
  MongoBulkWriteError,
  OptionalUnlessRequiredId,
} from 'mongodb';
import { InjectDb, SerialWrites, ensureIndexes } from '@app/data';
import { isRecommendable } from '@app/domain';

/*
 * Compact projections of the posts, one per kind of ordered read, each keyed
 * by the post's id and holding only what that read filters and sorts on.
 * The embedded store decodes every document of a collection it filters, at
 * a cost that grows with the number of values decoded, so each read scans
 * the fewest values it can, then reads the few posts it answers with by `_id`.
 * On MongoDB the same queries run on the declared indexes.
 */

/** Newest-first lists, of all posts or of a tag. */
export const POST_INDEX_COLLECTION = 'post_index';
/** Search: title words and the search order. */
export const POST_WORDS_COLLECTION = 'post_words';
/** Recommendations: only the posts that can be recommended, with the recommendation order. */
export const RECOMMENDABLE_COLLECTION = 'recommendable_posts';
/** Totals kept as posts come and go, so that no page recounts the collection. */
export const POST_COUNTERS_COLLECTION = 'post_counters';

export interface PostIndexEntry {
  _id: string;
  created_utc: number;
  tags: string[];
}

export interface PostWordsEntry {
  _id: string;
  score: number;
  num_comments: number;
  /**
   * The title words, space-separated: one value to decode instead of one per
   * word, which halves the cost of a search on the embedded store.
   */
  words: string;
}

export interface RecommendableEntry {
  _id: string;
  score: number;
  upsanddowns: number;
  num_comments: number;
  tags: string[];
}

/** What recommendations rank a post by. */
export type RankedPost = Omit<RecommendableEntry, '_id'> & { id: string };

/** What the projections are made of: any stored post, even one loaded without derived fields. */
export interface IndexedPost {
  id: string;
  created_utc: number;
  score: number;
  num_comments: number;
  upsanddowns: number;
  tags?: string[];
  title_words?: string[];
}

type PostsTotal = { _id: 'posts'; count: number };
/** Posts per tag, the tag as field name (tags are `[a-z0-9][a-z0-9-]*`, safe as field names). */
type TagTotals = { _id: 'tags'; counts: Record<string, number> };
type CounterDocument = PostsTotal | TagTotals;

/** Newest first, ties by id. */
export const INDEX_NEWEST_FIRST = { created_utc: -1, _id: 1 } as const;
/** Search order: score desc, num_comments desc, id asc. */
export const INDEX_SEARCH_ORDER = { score: -1, num_comments: -1, _id: 1 } as const;
/** Recommendation order: upsanddowns asc, num_comments desc, id asc. */
export const INDEX_RECOMMENDATION_ORDER = { upsanddowns: 1, num_comments: -1, _id: 1 } as const;

/** The indexes that make the same queries fast on MongoDB, by collection. */
export const CATALOG_INDEXES: Record<string, IndexDescription[]> = {
  [POST_INDEX_COLLECTION]: [
    { key: INDEX_NEWEST_FIRST, name: 'newest_first' },
    { key: { tags: 1, ...INDEX_NEWEST_FIRST }, name: 'tag_newest_first' },
  ],
  [POST_WORDS_COLLECTION]: [
    { key: INDEX_SEARCH_ORDER, name: 'search_order' },
    // A word is matched anywhere in `words`: MongoDB scans this index's keys rather than the documents.
    { key: { words: 1 }, name: 'words' },
  ],
  [RECOMMENDABLE_COLLECTION]: [{ key: INDEX_RECOMMENDATION_ORDER, name: 'recommendation_order' }],
};

const DUPLICATE_KEY = 11000;

/** Writes per command: FerretDB 1.24 stalls on commands of 100 writes or more. */
const WRITES_PER_COMMAND = 50;

function indexEntryOf(post: IndexedPost): PostIndexEntry {
  return { _id: post.id, created_utc: post.created_utc, tags: post.tags ?? [] };
}

function wordsEntryOf(post: IndexedPost): PostWordsEntry {
  return {
    _id: post.id,
    score: post.score,
    num_comments: post.num_comments,
    words: (post.title_words ?? []).join(' '),
  };
}

function recommendableEntryOf(post: IndexedPost): RecommendableEntry {
  const { id: _id, score, upsanddowns, num_comments } = post;
  return { _id, score, upsanddowns, num_comments, tags: post.tags ?? [] };
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

/** A post changed in place: its tags before the change and the post after it. */
export interface PostChange {
  tagsBefore: readonly string[];
  post: IndexedPost;
}

function replacing<T extends { _id: string }>(entry: T): AnyBulkWriteOperation<T> {
  return { replaceOne: { filter: { _id: entry._id } as never, replacement: entry, upsert: true } };
}

/**
 * Keeps the projections and the post totals in step with the posts: every
 * write of a post is followed by one of these calls. All of it is derived
 * data: a reindex job rebuilds it from the posts.
 */
@Injectable()
export class PostCatalog implements OnModuleInit {
  private readonly index: Collection<PostIndexEntry>;
  private readonly words: Collection<PostWordsEntry>;
  private readonly recommendables: Collection<RecommendableEntry>;
  private readonly counters: Collection<CounterDocument>;
  private readonly counterWrites = new SerialWrites();

  constructor(@InjectDb() private readonly db: Db) {
    this.index = db.collection<PostIndexEntry>(POST_INDEX_COLLECTION);
    this.words = db.collection<PostWordsEntry>(POST_WORDS_COLLECTION);
    this.recommendables = db.collection<RecommendableEntry>(RECOMMENDABLE_COLLECTION);
    this.counters = db.collection<CounterDocument>(POST_COUNTERS_COLLECTION);
  }

  async onModuleInit(): Promise<void> {
    await this.ensureIndexes();
  }

  async ensureIndexes(): Promise<void> {
    for (const [name, indexes] of Object.entries(CATALOG_INDEXES))
      await ensureIndexes(this.db.collection(name), indexes);
  }

  /** New posts: projected and counted. */
  async added(posts: readonly IndexedPost[]): Promise<void> {
    if (posts.length === 0) return;
    await this.insertAll(this.index, posts.map(indexEntryOf));
    await this.insertAll(this.words, posts.map(wordsEntryOf));
    await this.insertAll(this.recommendables, posts.filter(isRecommendable).map(recommendableEntryOf));
    await this.counterWrites.run('posts', () =>
      this.counters.updateOne({ _id: 'posts' }, { $inc: { count: posts.length } }, { upsert: true }),
    );
    await this.moveTagCounts(posts.map((post) => ({ tagsBefore: [], post })));
  }

  /** Posts changed in place: their projections rewritten, tag counts moved. */
  async changed(changes: readonly PostChange[]): Promise<void> {
    if (changes.length === 0) return;
    await this.project(changes.map(({ post }) => post));
    await this.moveTagCounts(changes);
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
    for (const name of [POST_INDEX_COLLECTION, POST_WORDS_COLLECTION, RECOMMENDABLE_COLLECTION]) {
      await this.db.collection(name).deleteMany({});
    }
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
    const entries = await this.index
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
   * gives both the page and the total. Stored words are separated by single
   * spaces, so a word starts where the string or a space does.
   */
  async matchingIds(words: readonly string[]): Promise<string[]> {
    const filter = { $and: words.map((word) => ({ words: { $regex: `(?:^| )${word}` } })) };
    const entries = await this.words
      .find(filter, { projection: { _id: 1 } })
      .sort(INDEX_SEARCH_ORDER)
      .toArray();
    return entries.map(({ _id }) => _id);
  }

  /** Recommendable posts in recommendation order, read lazily: callers stop once they have enough. */
  async *recommendable(): AsyncGenerator<RankedPost> {
    const cursor = this.recommendables.find({}).sort(INDEX_RECOMMENDATION_ORDER);
    try {
      for await (const { _id, ...ranked } of cursor) yield { id: _id, ...ranked };
    } finally {
      await cursor.close();
    }
  }

  /** Writes each post's projections; a post no longer recommendable leaves that one. */
  private async project(posts: readonly IndexedPost[]): Promise<void> {
    const recommendable = (post: IndexedPost): AnyBulkWriteOperation<RecommendableEntry> =>
      isRecommendable(post) ? replacing(recommendableEntryOf(post)) : { deleteOne: { filter: { _id: post.id } } };
    await this.writeAll(
      this.index,
      posts.map((post) => replacing(indexEntryOf(post))),
    );
    await this.writeAll(
      this.words,
      posts.map((post) => replacing(wordsEntryOf(post))),
    );
    await this.writeAll(this.recommendables, posts.map(recommendable));
  }

  /**
   * Inserts new entries in bulk (an import's common case, several times
   * cheaper than upserts on the embedded store); an entry left over from
   * before (its post written without one) is replaced instead.
   */
  private async insertAll<T extends { _id: string }>(collection: Collection<T>, entries: T[]): Promise<void> {
    for (let start = 0; start < entries.length; start += WRITES_PER_COMMAND) {
      const chunk = entries.slice(start, start + WRITES_PER_COMMAND);
      try {
        await collection.insertMany(chunk as OptionalUnlessRequiredId<T>[], { ordered: false });
      } catch (error) {
        const failed = error instanceof MongoBulkWriteError ? [error.writeErrors].flat() : [];
        if (failed.length === 0 || !failed.every((writeError) => writeError.code === DUPLICATE_KEY)) throw error;
        await this.writeAll(
          collection,
          failed.map((writeError) => replacing(chunk[writeError.index])),
        );
      }
    }
  }

  private async writeAll<T extends Document>(
    collection: Collection<T>,
    writes: AnyBulkWriteOperation<T>[],
  ): Promise<void> {
    for (let start = 0; start < writes.length; start += WRITES_PER_COMMAND) {
      await collection.bulkWrite(writes.slice(start, start + WRITES_PER_COMMAND), { ordered: false });
    }
  }

  private async moveTagCounts(changes: readonly PostChange[]): Promise<void> {
    const moves = new Map<string, number>();
    for (const { tagsBefore, post } of changes) {
      for (const [tag, change] of tagCountChanges(tagsBefore, post.tags ?? []))
        moves.set(tag, (moves.get(tag) ?? 0) + change);
    }
    const inc = Object.fromEntries(
      [...moves].filter(([, change]) => change !== 0).map(([tag, n]) => [`counts.${tag}`, n]),
    );
    if (Object.keys(inc).length === 0) return;
    await this.counterWrites.run('tags', () =>
      this.counters.updateOne({ _id: 'tags' }, { $inc: inc }, { upsert: true }),
    );
  }
}
