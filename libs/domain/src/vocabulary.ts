import vocabularyFile from './tag-vocabulary.json';
import { TagVocabulary } from './tag-rule';

/** The project's tag vocabulary, kept beside this file (tag-vocabulary.json). */
export const defaultVocabulary = new TagVocabulary(vocabularyFile.rules);
