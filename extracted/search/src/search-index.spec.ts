import { SearchHit } from '@app/contracts';
import { compareSearchOrder, matchesEveryPrefix, splitWords } from '@app/domain';
import { SearchIndex } from './search-index';
import { seeded } from '../../../test/support/seeded';

const WORDS = [
  'Python',
  'py',
  'pandas',
  'Panda',
  'django',
  'Flask',
  'async',
  'asyncio',
  'web',
  'web3',
  'test',
  'tests',
];

function randomHits(seed: number, count: number): SearchHit[] {
  const random = seeded(seed);
  const pick = () => WORDS[Math.floor(random() * WORDS.length)];
  return Array.from({ length: count }, (_, n) => {
    const id = n.toString(36);
    const title = Array.from({ length: 1 + Math.floor(random() * 5) }, pick).join(random() < 0.5 ? ' ' : '-');
    return {
      id,
      title,
      score: Math.floor(random() * 10),
      num_comments: Math.floor(random() * 3),
      permalink: `/r/${id}`,
    };
  });
}

/** The rule as the monolith states it: filter every post, sort every match. */
function bruteForce(hits: readonly SearchHit[], words: string[], skip: number, limit: number) {
  const matches = hits.filter((hit) => matchesEveryPrefix(words, splitWords(hit.title))).sort(compareSearchOrder);
  return { hits: matches.slice(skip, skip + limit), total: matches.length };
}

const QUERIES = [['py'], ['p'], ['pandas', 'web'], ['async', 'py', 't'], ['web3'], ['nothing'], ['a', 'p', 'w', 'd']];

describe('SearchIndex', () => {
  it.each([3, 11, 2024])('answers every query and page as filtering and sorting all posts would (seed %i)', (seed) => {
    const hits = randomHits(seed, 400);
    const index = new SearchIndex();
    index.load(hits);
    for (const words of QUERIES) {
      for (const [skip, limit] of [
        [0, 10],
        [10, 10],
        [0, 100],
        [390, 20],
      ]) {
        expect(index.query(words, skip, limit)).toEqual(bruteForce(hits, words, skip, limit));
      }
    }
  });

  it('follows posts added one by one and titles and scores that change', () => {
    const hits = randomHits(5, 200);
    const index = new SearchIndex();
    index.load(hits.slice(0, 100));
    for (const hit of hits.slice(100)) index.upsert(hit);
    const changed = hits.map((hit, n) =>
      n % 3 === 0
        ? { ...hit, title: `${hit.title} Zope`, score: hit.score + 5 }
        : n % 3 === 1
          ? { ...hit, title: 'zen' }
          : hit,
    );
    for (const hit of changed) index.upsert(hit);
    expect(index.size).toBe(200);
    for (const words of [...QUERIES, ['z'], ['zope', 'py'], ['zen']]) {
      expect(index.query(words, 0, 50)).toEqual(bruteForce(changed, words, 0, 50));
    }
  });

  it('counts a post once when several of its words start with the same query word', () => {
    const index = new SearchIndex();
    index.upsert({ id: 'a', title: 'python pythonic pythons', score: 1, num_comments: 0, permalink: '/a' });
    expect(index.query(['python'], 0, 10)).toMatchObject({ total: 1, hits: [{ id: 'a' }] });
  });

  it('reports its size, which grows with the posts and empties on clear', () => {
    const index = new SearchIndex();
    index.load(randomHits(8, 50));
    const fifty = index.bytes;
    index.load(randomHits(8, 100));
    expect(index.bytes).toBeGreaterThan(fifty);
    index.clear();
    expect({ size: index.size, bytes: index.bytes }).toEqual({ size: 0, bytes: 0 });
  });
});
