import { Injectable } from '@nestjs/common';
import { EVENTS, domainEvent } from '@app/contracts';
import { DerivedPostFields, defaultVocabulary, derivePostFields } from '@app/domain';
import { ConflictError } from '@app/platform';
import { PostsRepository, StoredPost } from './posts.repository';

/** Posts read per round trip: bounds memory while keeping round trips few. */
const DEFAULT_BATCH_SIZE = 500;

/** Attempts at rewriting one post while another writer keeps changing it. */
const WRITE_ATTEMPTS = 3;

export interface MaintenanceCounts {
  postsScanned: number;
  postsChanged: number;
}

export interface MaintenanceOptions {
  batchSize?: number;
  /** Checked between batches: an aborted run stops there, leaving every written post consistent. */
  signal?: AbortSignal;
  /** Called after each batch with the counts so far. */
  onProgress?: (counts: MaintenanceCounts) => Promise<void>;
}

/** What rewriting one post came to: nothing to change, written, or the post changed under us. */
type Rewrite = 'unchanged' | 'written' | 'stale';

function derive(post: StoredPost): DerivedPostFields {
  // Posts loaded by a plain mongoimport may lack the text fields or the derived ones.
  return derivePostFields(
    {
      title: post.title ?? '',
      selftext: post.selftext ?? '',
      ups: post.ups,
      downs: post.downs,
      manual_tags: post.manual_tags,
    },
    defaultVocabulary,
  );
}

function sameList(a: readonly string[] | undefined, b: readonly string[]): boolean {
  return a !== undefined && a.length === b.length && a.every((item, i) => item === b[i]);
}

/** Whole-collection rewrites of derived post fields, run as jobs. */
@Injectable()
export class PostsMaintenance {
  constructor(private readonly posts: PostsRepository) {}

  /** Recomputes every post's auto tags from the vocabulary; a changed post gets a `post.tagged` event. */
  retag(options: MaintenanceOptions = {}): Promise<MaintenanceCounts> {
    return this.rewriteAll(options, async (post) => {
      const { auto_tags, manual_tags, tags } = derive(post);
      const unchanged =
        sameList(post.auto_tags, auto_tags) && sameList(post.manual_tags, manual_tags) && sameList(post.tags, tags);
      if (unchanged) return 'unchanged';
      const next = { id: post.id, auto_tags, manual_tags, tags };
      const event = domainEvent(EVENTS.postTagged, `post:${post.id}`, next);
      return (await this.posts.replaceRecomputedTags(post, { auto_tags, manual_tags, tags }, event))
        ? 'written'
        : 'stale';
    });
  }

  /**
   * Ensures the post indexes and recomputes every post's search words and
   * `upsanddowns`; a changed post gets a `post.updated` event with its new
   * state. Rebuilds the post index and the totals from the posts on the way,
   * which repairs them after posts were written by other means (a plain
   * mongoimport) or a process died between a post's write and its entry's.
   */
  async reindex(options: MaintenanceOptions = {}): Promise<MaintenanceCounts> {
    await this.posts.ensureIndexes();
    const tagCounts = new Map<string, number>();
    const counts = await this.rewriteAll(options, async (post) => {
      for (const tag of new Set(post.tags ?? [])) tagCounts.set(tag, (tagCounts.get(tag) ?? 0) + 1);
      const { title_words, upsanddowns } = derive(post);
      if (sameList(post.title_words, title_words) && post.upsanddowns === upsanddowns) {
        await this.posts.reindexUnchanged(post);
        return 'unchanged';
      }
      const { title_words: _stale, ...publicPost } = post;
      const event = domainEvent(EVENTS.postUpdated, `post:${post.id}`, { ...publicPost, upsanddowns });
      return (await this.posts.replaceQueryFields(post, { title_words, upsanddowns }, event)) ? 'written' : 'stale';
    });
    await this.posts.resetTotals(counts.postsScanned, tagCounts);
    return counts;
  }

  private async rewriteAll(
    { batchSize = DEFAULT_BATCH_SIZE, signal, onProgress }: MaintenanceOptions,
    rewrite: (post: StoredPost) => Promise<Rewrite>,
  ): Promise<MaintenanceCounts> {
    const counts: MaintenanceCounts = { postsScanned: 0, postsChanged: 0 };
    for await (const batch of this.posts.scan(batchSize)) {
      signal?.throwIfAborted();
      for (const post of batch) {
        if (await this.rewriteOne(post, rewrite)) counts.postsChanged += 1;
      }
      counts.postsScanned += batch.length;
      await onProgress?.({ ...counts });
    }
    return counts;
  }

  /** Rewrites one post, re-reading it when a concurrent write got there first; true when it changed. */
  private async rewriteOne(post: StoredPost, rewrite: (post: StoredPost) => Promise<Rewrite>): Promise<boolean> {
    let current: StoredPost | null = post;
    for (let attempt = 0; attempt < WRITE_ATTEMPTS && current; attempt++) {
      const outcome = await rewrite(current);
      if (outcome !== 'stale') return outcome === 'written';
      current = await this.posts.findStored(post.id);
    }
    if (!current) return false;
    throw new ConflictError(`post ${post.id} kept changing while it was rewritten`);
  }
}
