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

/** A tag list as stored: a set, so duplicates collapse and the order is canonical (sorted). */
export function distinctTags(tags: readonly string[]): string[] {
  return [...new Set(tags)].sort();
}

/** Union of automatic and manual tags, sorted and distinct. */
export function mergeTags(autoTags: readonly string[], manualTags: readonly string[]): string[] {
  return distinctTags([...autoTags, ...manualTags]);
}

export interface TagSources {
  /** The union of the two sources: what lists and filters by tag look at. */
  tags: string[];
  auto_tags: string[];
  manual_tags: string[];
}

/** A post's tags once its manual tags are replaced by `requested`; the auto tags stay. */
export function withManualTags(autoTags: readonly string[], requested: readonly string[]): TagSources {
  const manualTags = distinctTags(requested);
  return { tags: mergeTags(autoTags, manualTags), auto_tags: [...autoTags], manual_tags: manualTags };
}
