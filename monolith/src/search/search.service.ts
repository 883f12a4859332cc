import { Injectable } from '@nestjs/common';
import { NO_SEARCH_WORDS, SearchQueryDto, SearchResult, skipOf } from '@app/contracts';
import { queryWords } from '@app/domain';
import { InvalidInputError } from '@app/platform';
import { PostCatalog } from '@app/posts';
import { SearchRepository } from './search.repository';

@Injectable()
export class SearchService {
  constructor(
    private readonly catalog: PostCatalog,
    private readonly search: SearchRepository,
  ) {}

  async query(query: SearchQueryDto): Promise<SearchResult> {
    const words = queryWords(query.q);
    if (words.length === 0) throw new InvalidInputError(NO_SEARCH_WORDS);
    const matching = await this.catalog.matchingIds(words);
    const skip = skipOf(query);
    const items = await this.search.hits(matching.slice(skip, skip + query.limit));
    return { query: query.q, items, total: matching.length, page: query.page, limit: query.limit };
  }
}
