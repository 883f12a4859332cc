import { ObjectId } from 'mongodb';
import { NormalisedPost, normalisePost } from './normalise-post';

const dumpPost = (overrides: Record<string, unknown> = {}) => ({
  _id: new ObjectId('4fcf5b3cb25b4c3e1c000001'),
  id: 'uf4bx',
  name: 't3_uf4bx',
  author: 'alice',
  title: 'Flask or Django?',
  selftext: 'Help me choose',
  score: 8,
  ups: 10,
  downs: 2,
  num_comments: 3,
  created_utc: 1338984000.0,
  edited: 'False',
  is_self: 'True',
  over_18: 'False',
  distinguished: null,
  domain: 'self.Python',
  permalink: '/r/Python/comments/uf4bx/flask_or_django/',
  url: 'https://www.reddit.com/r/Python/comments/uf4bx/flask_or_django/',
  subreddit_id: 't5_2qh0y',
  link_flair_text: '',
  ...overrides,
});

function post(overrides: Record<string, unknown> = {}): NormalisedPost {
  const result = normalisePost(dumpPost(overrides));
  if ('reason' in result) throw new Error(`rejected: ${result.reason}`);
  return result.post;
}

function reason(value: unknown): string {
  const result = normalisePost(value);
  if (!('reason' in result)) throw new Error('accepted');
  return result.reason;
}

describe('normalisePost', () => {
  it('turns the dump types into the store types and keeps unknown keys', () => {
    expect(post()).toEqual({
      _id: new ObjectId('4fcf5b3cb25b4c3e1c000001'),
      id: 'uf4bx',
      name: 't3_uf4bx',
      author: 'alice',
      title: 'Flask or Django?',
      selftext: 'Help me choose',
      score: 8,
      ups: 10,
      downs: 2,
      num_comments: 3,
      created_utc: 1338984000,
      edited: false,
      is_self: true,
      over_18: false,
      domain: 'self.Python',
      permalink: '/r/Python/comments/uf4bx/flask_or_django/',
      url: 'https://www.reddit.com/r/Python/comments/uf4bx/flask_or_django/',
      distinguished: null,
      subreddit_id: 't5_2qh0y',
      link_flair_text: '',
    });
  });

  it.each([
    ['True', true],
    ['False', false],
    [true, true],
    [false, false],
    ['true', true],
    [1, true],
    ['0', false],
  ])('reads the flag %p as %p', (value, expected) => {
    expect(post({ is_self: value, over_18: value })).toMatchObject({ is_self: expected, over_18: expected });
  });

  it('makes numeric ids and authors strings', () => {
    expect(post({ id: 12345, name: undefined, author: 4242 })).toMatchObject({
      id: '12345',
      name: 't3_12345',
      author: '4242',
    });
  });

  it('allows an empty author and defaults a missing one to ""', () => {
    expect(post({ author: '' }).author).toBe('');
    expect(post({ author: null }).author).toBe('');
  });

  it('reads edited as false or seconds, and True as the creation time', () => {
    expect(post({ edited: 1339077397.5 }).edited).toBe(1339077397.5);
    expect(post({ edited: '1339077397.0' }).edited).toBe(1339077397);
    expect(post({ edited: false }).edited).toBe(false);
    expect(post({ edited: 'True' }).edited).toBe(1338984000);
    expect(post({ edited: new Date(1339077397000) }).edited).toBe(1339077397);
  });

  it('reads numbers written as strings', () => {
    expect(post({ ups: '12', downs: '3', num_comments: '7', created_utc: '1338984000.5' })).toMatchObject({
      ups: 12,
      downs: 3,
      score: 9,
      num_comments: 7,
      created_utc: 1338984000.5,
    });
  });

  it('recomputes score from ups and downs, ignoring the file value', () => {
    expect(post({ ups: 10, downs: 25, score: 999 }).score).toBe(-15);
  });

  it('derives ups and downs from score when the file has only a score', () => {
    expect(post({ ups: undefined, downs: undefined, score: -4 })).toMatchObject({ ups: 0, downs: 4, score: -4 });
  });

  it('fills name, selftext, permalink, url and domain when missing', () => {
    const link = post({
      name: '',
      selftext: undefined,
      permalink: undefined,
      url: 'https://www.github.com/x/y',
      domain: undefined,
      is_self: undefined,
    });
    expect(link).toMatchObject({
      name: 't3_uf4bx',
      selftext: '',
      permalink: '/r/Python/comments/uf4bx/',
      url: 'https://www.github.com/x/y',
      domain: 'github.com',
      is_self: false,
    });
    const self = post({ permalink: undefined, url: undefined, domain: undefined, is_self: undefined });
    expect(self).toMatchObject({
      is_self: true,
      domain: 'self.Python',
      url: 'https://www.reddit.com/r/Python/comments/uf4bx/',
    });
  });

  it('drops fields the importer derives or the monolith owns', () => {
    const result = post({
      upsanddowns: 5,
      tags: ['x'],
      manual_tags: ['y'],
      auto_tags: [],
      title_words: [],
      outbox: [],
    });
    for (const field of ['upsanddowns', 'tags', 'manual_tags', 'auto_tags', 'title_words', 'outbox'])
      expect(result).not.toHaveProperty(field);
  });

  it('accepts a 24-hex string _id and ignores any other _id', () => {
    expect(post({ _id: '4fcf5b3cb25b4c3e1c000002' })._id).toEqual(new ObjectId('4fcf5b3cb25b4c3e1c000002'));
    expect(post({ _id: 17 })).not.toHaveProperty('_id');
  });

  it.each([
    ['an array', [1, 2], 'not a JSON object (got an array)'],
    ['a string', 'text', 'not a JSON object (got a string)'],
    ['null', null, 'not a JSON object (got null)'],
    ['no id', { title: 'x', created_utc: 1 }, 'missing id'],
    ['an empty id', dumpPost({ id: '' }), 'missing id'],
    ['an id with a space', dumpPost({ id: 'has space' }), 'id "has space" must be 1-32 letters, digits or _'],
    ['a fractional id', dumpPost({ id: 1.5 }), 'id 1.5 is a number that cannot be read exactly; write it as a string'],
    ['an object id', dumpPost({ id: { a: 1 } }), 'id must be a string, got an object'],
    ['no title', dumpPost({ title: undefined }), 'missing title'],
    ['a blank title', dumpPost({ title: '  ' }), 'title is empty'],
    ['non-numeric ups', dumpPost({ ups: 'many' }), 'ups must be a whole number >= 0, got "many"'],
    ['negative downs', dumpPost({ downs: -1 }), 'downs must be a whole number >= 0, got -1'],
    ['fractional num_comments', dumpPost({ num_comments: 2.5 }), 'num_comments must be a whole number >= 0, got 2.5'],
    ['no created_utc', dumpPost({ created_utc: undefined }), 'missing created_utc'],
    [
      'a wordy created_utc',
      dumpPost({ created_utc: 'yesterday' }),
      'created_utc must be seconds since 1970, got "yesterday"',
    ],
    [
      'a wordy edited',
      dumpPost({ edited: 'sometimes' }),
      'edited must be False, True or seconds since 1970, got "sometimes"',
    ],
    ['a wordy is_self', dumpPost({ is_self: 'maybe' }), 'is_self must be True or False, got "maybe"'],
    ['a boolean author', dumpPost({ author: true }), 'author must be a string, got a boolean'],
    ['a dotted key', dumpPost({ 'a.b': 1 }), 'key "a.b" cannot be stored (empty, starts with $, or has . or NUL)'],
    [
      'a nested $ key',
      dumpPost({ meta: { $where: 1 } }),
      'key "$where" in meta cannot be stored (empty, starts with $, or has . or NUL)',
    ],
    ['nested arrays', dumpPost({ grid: [[1]] }), 'grid holds an array inside an array, which the store does not keep'],
    ['an infinite number', dumpPost({ ratio: Infinity }), 'ratio is Infinity, which the store does not keep'],
  ])('rejects %s', (_what, value, expected) => {
    expect(reason(value)).toBe(expected);
  });
});
