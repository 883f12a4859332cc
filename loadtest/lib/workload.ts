import { createHash } from 'node:crypto';
import { defaultVocabulary, splitWords } from '@app/domain';
import { generatePosts } from '../../datasets/src';
import { Random } from '../../datasets/src/generator/random';
import { DEMO_SEED } from '../../datasets/src/importer/import-posts';
import type { Workload } from './scenarios';

/** Posts picked from the data set, evenly spread over it. */
const SAMPLED_POSTS = 300;
const TERMS = 200;
const TAGS = 30;

const isSearchable = (word: string) => word.length >= 3 && !/^\d+$/.test(word);

/** One-word prefixes mostly, two-word prefix pairs sometimes: every term matches at least the title it came from. */
export function searchTerms(titles: readonly string[], count: number, random: Random): string[] {
  const wordLists = titles.map((title) => splitWords(title).filter(isSearchable)).filter((words) => words.length > 0);
  if (wordLists.length === 0) return [];
  const prefix = (word: string) => word.slice(0, random.int(3, word.length));
  const terms = new Set<string>();
  for (let attempt = 0; attempt < count * 4 && terms.size < count; attempt++) {
    const words = random.pick(wordLists);
    const first = random.pick(words);
    const second = random.pick(words);
    terms.add(random.chance(0.7) || first === second ? prefix(first) : `${prefix(first)} ${prefix(second)}`);
  }
  return [...terms];
}

/**
 * Ids, titles and tags of the data set under test, taken from the generator
 * that seeded it (seedDemoPosts: same count, same seed, so the same posts)
 * rather than asked of the monolith, whose lists take minutes on a large
 * data set in the embedded store.
 */
export function generatedWorkload(posts: number, seed: number): Workload {
  const step = Math.max(1, Math.floor(posts / SAMPLED_POSTS));
  const sampled: { id: string; title: string; tags: string[] }[] = [];
  let index = 0;
  for (const post of generatePosts({ count: posts, seed: DEMO_SEED })) {
    if (index++ % step === 0 && sampled.length < SAMPLED_POSTS) {
      sampled.push({
        id: post.id,
        title: post.title,
        tags: defaultVocabulary.tagsFor(`${post.title} ${post.selftext}`),
      });
    }
  }
  const titles = sampled.map((post) => post.title);
  const tagCounts = new Map<string, number>();
  for (const tag of sampled.flatMap((post) => post.tags)) tagCounts.set(tag, (tagCounts.get(tag) ?? 0) + 1);
  const tags = [...tagCounts].sort(([a, x], [b, y]) => y - x || a.localeCompare(b)).map(([tag]) => tag);
  const words = [...new Set(titles.flatMap((title) => splitWords(title).filter(isSearchable)))];
  return {
    postIds: sampled.map((post) => post.id),
    terms: searchTerms(titles, TERMS, new Random(seed)),
    // Without any tagged post, title words still make valid tag names (answered with an empty page).
    tags: tags.length > 0 ? tags.slice(0, TAGS) : words.filter((word) => word.length <= 32).slice(0, TAGS),
    words,
  };
}

/** Changes when the generator would produce other posts than the ones a data set was seeded with. */
export function workloadFingerprint(workload: Workload): string {
  return createHash('sha1')
    .update(JSON.stringify([workload.postIds, workload.words, workload.tags]))
    .digest('hex');
}
