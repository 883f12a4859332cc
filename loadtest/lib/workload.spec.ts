import { matchesEveryPrefix, queryWords, splitWords, TAG_PATTERN } from '@app/domain';
import { seedDemoPosts } from '../../datasets/src';
import { Random } from '../../datasets/src/generator/random';
import { openTestDb, testMongoUrl } from '../../test/support/store';
import { generatedWorkload, searchTerms } from './workload';

const titles = [
  'How do I use asyncio with Django REST framework?',
  'Pandas 2.0: what changed in DataFrame indexing',
  'Flask vs FastAPI for a small API',
  '42',
];

describe('searchTerms', () => {
  const terms = searchTerms(titles, 30, new Random(5));

  it('draws every term from a real title, so every query finds at least one post by the search rule', () => {
    expect(terms.length).toBeGreaterThan(10);
    for (const term of terms) {
      expect(titles.some((title) => matchesEveryPrefix(queryWords(term), splitWords(title)))).toBe(true);
    }
  });

  it('uses prefixes of at least three letters and leaves numbers out', () => {
    for (const word of terms.flatMap(splitWords)) {
      expect(word.length).toBeGreaterThanOrEqual(3);
      expect(word).not.toMatch(/^\d+$/);
    }
  });

  it('gives the same terms for the same seed', () => {
    expect(searchTerms(titles, 30, new Random(5))).toEqual(terms);
  });

  it('gives no terms when no title has a searchable word', () => {
    expect(searchTerms(['42', '!!'], 5, new Random(1))).toEqual([]);
  });
});

describe('generatedWorkload', () => {
  it('draws post ids that the data set seeded by seedDemoPosts holds', async () => {
    const testDb = await openTestDb('loadtest_workload');
    try {
      await seedDemoPosts(testMongoUrl(), testDb.dbName, 40);
      const { postIds } = generatedWorkload(40, 1);
      expect(postIds).toHaveLength(40);
      expect(await testDb.db.collection('posts').countDocuments({ id: { $in: postIds } })).toBe(40);
    } finally {
      await testDb.close();
    }
  });

  it('spreads 300 posts over a large data set, with search terms from their titles and tags from the vocabulary', () => {
    const workload = generatedWorkload(3000, 1);
    expect(workload.postIds).toHaveLength(300);
    expect(new Set(workload.postIds).size).toBe(300);
    expect(workload.terms.length).toBeGreaterThan(100);
    expect(workload.tags.length).toBeGreaterThan(0);
    for (const tag of workload.tags) expect(tag).toMatch(TAG_PATTERN);
  });

  it('gives the same workload for the same size and seed', () => {
    expect(generatedWorkload(500, 3)).toEqual(generatedWorkload(500, 3));
  });
});
