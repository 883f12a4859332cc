import { splitWords } from './search-rule';

/** A tag is lower-case letters, digits and dashes, 1-32 chars, not starting with a dash. */
export const TAG_PATTERN = /^[a-z0-9][a-z0-9-]{0,31}$/;
export const MAX_MANUAL_TAGS = 10;

export interface TagRule {
  tag: string;
  keywords: string[];
}

/** Keyword -> tag rules; a post gets a tag when one of its words is a keyword. */
export class TagVocabulary {
  private readonly tagsByKeyword = new Map<string, string[]>();

  constructor(readonly rules: readonly TagRule[]) {
    for (const { tag, keywords } of rules) {
      if (!TAG_PATTERN.test(tag)) throw new Error(`vocabulary tag "${tag}" does not match ${TAG_PATTERN}`);
      for (const keyword of keywords) {
        const key = keyword.toLowerCase();
        this.tagsByKeyword.set(key, [...(this.tagsByKeyword.get(key) ?? []), tag]);
      }
    }
  }

  /** Sorted, distinct tags for a text. */
  tagsFor(text: string): string[] {
    const tags = new Set<string>();
    for (const word of splitWords(text)) {
      for (const tag of this.tagsByKeyword.get(word) ?? []) tags.add(tag);
    }
    return [...tags].sort();
  }
}

/** Union of automatic and manual tags, sorted and distinct. */
export function mergeTags(autoTags: readonly string[], manualTags: readonly string[]): string[] {
  return [...new Set([...autoTags, ...manualTags])].sort();
}
