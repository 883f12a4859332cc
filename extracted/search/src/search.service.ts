import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
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
import { InvalidInputError } from '@app/platform';
import { applyInOrder } from '@app/transport';
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

  constructor(private readonly posts: SearchRepository) {}

  /** Rebuilds the index from the service's own store before serving. */
  async onApplicationBootstrap(): Promise<void> {
    await this.rebuild();
  }

  private async rebuild(): Promise<void> {
    this.index.clear();
    for await (const hit of this.posts.all()) this.index.upsert(hit);
  }

  query(query: SearchQueryDto): SearchResult {
    const words = queryWords(query.q);
    if (words.length === 0) throw new InvalidInputError(NO_SEARCH_WORDS);
    const matches = this.index.query(words);
    const start = skipOf(query);
    return {
      query: query.q,
      items: matches.slice(start, start + query.limit),
      total: matches.length,
      page: query.page,
      limit: query.limit,
    };
  }

  apply(events: readonly RelayedEvent[]): Promise<ApplyEventsResult> {
    const snapshot = async (event: RelayedEvent) => {
      const hit = hitOf(event.payload as PostCreatedPayload);
      const applied = await this.posts.applySnapshot(hit, event.position);
      if (applied) this.index.upsert(hit);
      return applied;
    };
    return applyInOrder(events, {
      [EVENTS.postCreated]: snapshot,
      [EVENTS.postUpdated]: snapshot,
      [EVENTS.postsDropped]: async (event) => {
        await this.posts.dropPostsBefore(event.position);
        await this.rebuild();
        return true;
      },
    });
  }

  async reset(): Promise<void> {
    await this.posts.clear();
    this.index.clear();
  }
}
