import { ObjectId } from 'mongodb';
import { defaultVocabulary } from '@app/domain';
import { NormalisedPost } from './normalise-post';
import { importedFields, newPostDocument, sameValue, wouldChange } from './stored-post';

const post: NormalisedPost = {
  _id: new ObjectId('4fcf5b3cb25b4c3e1c000001'),
  id: 'uf4bx',
  name: 't3_uf4bx',
  author: 'alice',
  title: 'Flask and pytest',
  selftext: '',
  score: 8,
  ups: 10,
  downs: 2,
  num_comments: 3,
  created_utc: 1338984000,
  edited: false,
  is_self: true,
  over_18: false,
  domain: 'self.Python',
  permalink: '/r/Python/comments/uf4bx/',
  url: 'https://www.reddit.com/r/Python/comments/uf4bx/',
  when: new Date(1338984000000),
};

describe('stored posts', () => {
  it('inserts a new post keyed by its id, with derived fields and no manual tags', () => {
    expect(newPostDocument(post, defaultVocabulary)).toMatchObject({
      _id: post.id,
      upsanddowns: -8,
      title_words: ['flask', 'and', 'pytest'],
      auto_tags: ['flask', 'testing'],
      manual_tags: [],
      tags: ['flask', 'testing'],
    });
  });

  it('writes tags as the automatic ones united with the stored manual ones, never manual_tags or _id', () => {
    const fields = importedFields(post, ['mine'], defaultVocabulary);
    expect(fields.tags).toEqual(['flask', 'mine', 'testing']);
    expect(fields).not.toHaveProperty('manual_tags');
    expect(fields).not.toHaveProperty('_id');
  });

  it('sees no change in a stored post with the same values, whatever else it holds', () => {
    const stored = {
      ...newPostDocument(post, defaultVocabulary),
      outbox: [{ id: 'e1' }],
      when: new Date(1338984000000),
    };
    expect(wouldChange(stored, importedFields(post, [], defaultVocabulary))).toBe(false);
    expect(wouldChange(stored, importedFields({ ...post, ups: 11 }, [], defaultVocabulary))).toBe(true);
  });

  it('compares dates, object ids, arrays and objects by value, ignoring key order', () => {
    expect(sameValue(new Date(5), new Date(5))).toBe(true);
    expect(sameValue(new Date(5), 5)).toBe(false);
    expect(sameValue(new ObjectId('4fcf5b3cb25b4c3e1c000001'), new ObjectId('4fcf5b3cb25b4c3e1c000001'))).toBe(true);
    expect(sameValue({ a: [1, { b: null }], c: 'x' }, { c: 'x', a: [1, { b: null }] })).toBe(true);
    expect(sameValue({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(sameValue({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(sameValue(null, {})).toBe(false);
  });
});
