import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Registry } from 'prom-client';
import {
  ApplyEventsResult,
  EVENTS,
  NO_SEARCH_WORDS,
  PostCreatedPayload,
  RelayedEvent,
  SearchHit,
  SearchQueryDto,
  SearchResult,
  skipOf,
} from '@app/contracts';
import { queryWords } from '@app/domain';
import { ReadModelMetrics, registerReadModel } from '@app/observability';
import { InvalidInputError } from '@app/platform';
import { BulkEventHandler, SerialQueue, applyInOrder } from '@app/transport';
import { SearchIndex } from './search-index';
import { SearchRepository } from './search.repository';

function hitOf(post: PostCreatedPayload): SearchHit {
  return {
    id: post.id,
    title: post.title,
    score: post.score,
    num_comments: post.num_comments,
    permalink: post.permalink,
  };
}

@Injectable()
export class SearchService implements OnApplicationBootstrap {
  private readonly index = new SearchIndex();
  private readonly metrics: ReadModelMetrics;

  constructor(
    private readonly posts: SearchRepository,
    private readonly writes: SerialQueue,
    registry: Registry,
  ) {
    this.metrics = registerReadModel(registry, 'search_index', () => ({
      documents: this.index.size,
      bytes: this.index.bytes,
    }));
  }

  /** Rebuilds the index from the service's own store before serving. */
  async onApplicationBootstrap(): Promise<void> {
    await this.rebuild();
  }

  private rebuild(): Promise<void> {
    return this.metrics.timeRebuild(async () => {
      const hits: SearchHit[] = [];
      for await (const hit of this.posts.all()) hits.push(hit);
      this.index.load(hits);
    });
  }

  query(query: SearchQueryDto): SearchResult {
    const words = queryWords(query.q);
    if (words.length === 0) throw new InvalidInputError(NO_SEARCH_WORDS);
    const { hits, total } = this.index.query(words, skipOf(query), query.limit);
    return {
      query: query.q,
      items: hits,
      total,
      page: query.page,
      limit: query.limit,
    };
  }

  apply(events: readonly RelayedEvent[]): Promise<ApplyEventsResult> {
    const snapshot: BulkEventHandler = {
      bulk: async (posts) => {
        const hits = posts.map((event) => hitOf(event.payload as PostCreatedPayload));
        const applied = await this.posts.applySnapshots(hits.map((hit, i) => ({ hit, position: posts[i].position })));
        hits.forEach((hit, i) => applied[i] && this.index.upsert(hit));
        return applied;
      },
    };
    return this.writes.run(() =>
      applyInOrder(events, {
        [EVENTS.postCreated]: snapshot,
        [EVENTS.postUpdated]: snapshot,
        [EVENTS.postsDropped]: async (event) => {
          await this.posts.dropPostsBefore(event.position);
          await this.rebuild();
          return true;
        },
      }),
    );
  }

  reset(): Promise<void> {
    return this.writes.run(async () => {
      await this.posts.clear();
      this.index.clear();
    });
  }
}
