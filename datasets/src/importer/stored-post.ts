import { BSON, ObjectId } from 'mongodb';
import { DomainEvent, EVENTS, Post, domainEvent } from '@app/contracts';
import { TagVocabulary, derivePostFields } from '@app/domain';
import type { PostDocument } from '@app/posts';
import { NormalisedPost } from './normalise-post';

/** What an import writes into a post every time: the file's fields and those derived from them. */
export type ImportedFields = Post & { title_words: string[]; auto_tags: string[] };

/** A post as the importer inserts it, keyed by its id; `manual_tags` are written only then. */
export type NewPostDocument = PostDocument & { _id: string };

/** The fields to write for a post whose manual tags (owned by the monolith) are `manualTags`. */
export function importedFields(
  post: NormalisedPost,
  manualTags: readonly string[],
  vocabulary: TagVocabulary,
): ImportedFields {
  const { _id: _storeId, ...fields } = post;
  const { manual_tags: _manualTags, ...derived } = derivePostFields(
    { ...fields, manual_tags: [...manualTags] },
    vocabulary,
  );
  return { ...fields, ...derived };
}

/**
 * The event an imported post carries in its outbox, written with it: the
 * whole public post, as services receive every post (created or updated).
 */
export function importEvent(
  type: typeof EVENTS.postCreated | typeof EVENTS.postUpdated,
  fields: ImportedFields,
  manualTags: string[],
): DomainEvent {
  const { title_words: _words, ...post } = fields;
  return domainEvent(type, `post:${post.id}`, { ...post, manual_tags: manualTags });
}

export function newPostDocument(post: NormalisedPost, vocabulary: TagVocabulary): NewPostDocument {
  const fields = importedFields(post, [], vocabulary);
  return {
    _id: fields.id,
    ...fields,
    manual_tags: [],
    outbox: [importEvent(EVENTS.postCreated, fields, [])],
  };
}

/** The store's limit on one document: 16 MiB of BSON. */
const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;

export function exceedsDocumentLimit(document: NewPostDocument): boolean {
  return BSON.calculateObjectSize(document) > MAX_DOCUMENT_BYTES;
}

/** Deep equality of values as the store gives them back (numbers, strings, dates, ids, arrays, objects). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  }
  if (a instanceof ObjectId || b instanceof ObjectId) {
    return a instanceof ObjectId && b instanceof ObjectId && a.equals(b);
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => sameValue(item, b[i]));
  }
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  const aKeys = Object.keys(a);
  return (
    aKeys.length === Object.keys(b).length &&
    aKeys.every(
      (key) =>
        Object.hasOwn(b, key) && sameValue((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
    )
  );
}

/** Whether writing `fields` would change the stored post. */
export function wouldChange(stored: Record<string, unknown>, fields: ImportedFields): boolean {
  return Object.keys(fields).some((key) => !sameValue(stored[key], fields[key]));
}
