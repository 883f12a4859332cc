import { compareIds } from './search-rule';

/** Posts above this score are recommendable. */
export const RECOMMENDATION_MIN_SCORE = 50;
export const DEFAULT_RECOMMENDATIONS = 12;

export interface Recommendable {
  id: string;
  score: number;
  upsanddowns: number;
  num_comments: number;
  tags?: readonly string[];
}

/** Order of the original pipeline, made total: upsanddowns asc, num_comments desc, id asc. */
export function compareRecommendationOrder(a: Recommendable, b: Recommendable): number {
  return a.upsanddowns - b.upsanddowns || b.num_comments - a.num_comments || compareIds(a.id, b.id);
}

export function isRecommendable(post: { score: number }): boolean {
  return post.score > RECOMMENDATION_MIN_SCORE;
}

export interface Personalisation {
  hiddenPostIds: ReadonlySet<string>;
  preferredTags: readonly string[];
  hiddenTags: readonly string[];
}

/**
 * Personalises an already ordered candidate list: drops hidden posts and
 * posts with a hidden tag, then moves posts carrying a preferred tag first,
 * keeping the base order within each group. Stops reading the list as soon
 * as the answer is settled, so it can run over a long ready-made list.
 */
export function personalise<T extends Recommendable>(ordered: readonly T[], who: Personalisation, limit: number): T[] {
  const hiddenTags = new Set(who.hiddenTags);
  const preferredTags = new Set(who.preferredTags);
  const preferred: T[] = [];
  const others: T[] = [];
  const settled = () => preferred.length >= limit || (preferredTags.size === 0 && others.length >= limit);
  for (const post of ordered) {
    if (settled()) break;
    const tags = post.tags ?? [];
    if (who.hiddenPostIds.has(post.id) || tags.some((tag) => hiddenTags.has(tag))) continue;
    if (tags.some((tag) => preferredTags.has(tag))) preferred.push(post);
    else if (others.length < limit) others.push(post);
  }
  return [...preferred, ...others].slice(0, limit);
}
