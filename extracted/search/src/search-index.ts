import MiniSearch from 'minisearch';
import { SearchHit } from '@app/contracts';
import { compareSearchOrder, splitWords } from '@app/domain';

/**
 * In-memory inverted index over titles, configured to the shared rule:
 * the same word split, every query word a prefix of some title word (AND),
 * no fuzziness; results ranked by the shared search order, not relevance.
 */
export class SearchIndex {
  private readonly hits = new Map<string, SearchHit>();
  private readonly index = new MiniSearch<SearchHit>({
    idField: 'id',
    fields: ['title'],
    storeFields: [],
    tokenize: splitWords,
    processTerm: (term) => term,
    searchOptions: {
      tokenize: splitWords,
      processTerm: (term) => term,
      prefix: true,
      fuzzy: false,
      combineWith: 'AND',
    },
  });

  get size(): number {
    return this.hits.size;
  }

  upsert(hit: SearchHit): void {
    const previous = this.hits.get(hit.id);
    this.hits.set(hit.id, hit);
    if (previous && previous.title === hit.title) return;
    if (previous) this.index.replace(hit);
    else this.index.add(hit);
  }

  clear(): void {
    this.hits.clear();
    this.index.removeAll();
  }

  /** Every match in search order. */
  query(words: readonly string[]): SearchHit[] {
    return this.index
      .search(words.join(' '))
      .map((result) => this.hits.get(result.id as string) as SearchHit)
      .sort(compareSearchOrder);
  }
}
