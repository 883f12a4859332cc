import { Injectable } from '@nestjs/common';
import { NO_SEARCH_WORDS, SearchQueryDto, SearchResult, skipOf } from '@app/contracts';
import { queryWords } from '@app/domain';
import { InvalidInputError } from '@app/platform';
import { SearchRepository } from './search.repository';

@Injectable()
export class SearchService {
  constructor(private readonly search: SearchRepository) {}

  async query(query: SearchQueryDto): Promise<SearchResult> {
    const words = queryWords(query.q);
    if (words.length === 0) throw new InvalidInputError(NO_SEARCH_WORDS);
    const { items, total } = await this.search.matching(words, skipOf(query), query.limit);
    return { query: query.q, items, total, page: query.page, limit: query.limit };
  }
}
