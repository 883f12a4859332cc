import { splitWords } from './search-rule';
import { TagVocabulary, mergeTags } from './tag-rule';

export interface PostSource {
  title: string;
  selftext: string;
  ups: number;
  downs: number;
  manual_tags?: string[];
}

export interface DerivedPostFields {
  /** downs - ups, kept at write time because the store cannot compute it in a query. */
  upsanddowns: number;
  /** Distinct lower-cased title words, for the word-prefix search in the store. */
  title_words: string[];
  auto_tags: string[];
  manual_tags: string[];
  tags: string[];
}

export function derivePostFields(post: PostSource, vocabulary: TagVocabulary): DerivedPostFields {
  const autoTags = vocabulary.tagsFor(`${post.title} ${post.selftext}`);
  const manualTags = post.manual_tags ?? [];
  return {
    upsanddowns: post.downs - post.ups,
    title_words: [...new Set(splitWords(post.title))],
    auto_tags: autoTags,
    manual_tags: manualTags,
    tags: mergeTags(autoTags, manualTags),
  };
}
