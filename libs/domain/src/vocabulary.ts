import vocabularyFile from '../../../datasets/tag-vocabulary.json';
import { TagVocabulary } from './tag-rule';

/** The project's tag vocabulary, shipped in datasets/tag-vocabulary.json. */
export const defaultVocabulary = new TagVocabulary(vocabularyFile.rules);
