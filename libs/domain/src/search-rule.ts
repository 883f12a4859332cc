/**
 * The search rule shared by the monolith and the search service: words are
 * maximal runs of ASCII letters and digits, compared lower-cased; a title
 * matches when every query word is a prefix of one of its words.
 */
const WORD = /[A-Za-z0-9]+/g;

export function splitWords(text: string): string[] {
  return (text.match(WORD) ?? []).map((word) => word.toLowerCase());
}

/** Distinct words of a query, in first-seen order. */
export function queryWords(query: string): string[] {
  return [...new Set(splitWords(query))];
}

export function matchesEveryPrefix(words: readonly string[], titleWords: readonly string[]): boolean {
  return words.every((word) => titleWords.some((titleWord) => titleWord.startsWith(word)));
}

export interface Ranked {
  id: string;
  score: number;
  num_comments: number;
}

/** Search order: score desc, num_comments desc, id asc. */
export function compareSearchOrder(a: Ranked, b: Ranked): number {
  return b.score - a.score || b.num_comments - a.num_comments || compareIds(a.id, b.id);
}

/** Code-unit order, the same as the store's binary string comparison. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
