import { TagIndex, TaggedEntry } from './tag-index';

const post = (id: string, created_utc: number, ...tags: string[]): TaggedEntry => ({ id, created_utc, tags });

describe('TagIndex', () => {
  let index: TagIndex;

  beforeEach(() => {
    index = new TagIndex();
    index.load([post('a', 100, 'web', 'flask'), post('b', 300, 'web'), post('c', 200, 'flask', 'web'), post('d', 50)]);
  });

  it('counts tags most used first, ties by tag', () => {
    expect(index.counts()).toEqual([
      { tag: 'web', count: 3 },
      { tag: 'flask', count: 2 },
    ]);
  });

  it('pages a tag newest first, ties by id, with the total', () => {
    index.upsert(post('e', 300, 'web'));
    expect(index.page('web', 0, 3)).toEqual({ ids: ['b', 'e', 'c'], total: 4 });
    expect(index.page('web', 3, 3)).toEqual({ ids: ['a'], total: 4 });
    expect(index.page('web', 10, 3)).toEqual({ ids: [], total: 4 });
    expect(index.page('unknown', 0, 3)).toEqual({ ids: [], total: 0 });
  });

  it('moves a post between tags when its tags change, and forgets tags nobody carries', () => {
    index.retag('a', ['django']);
    index.retag('c', ['web']);
    expect(index.counts()).toEqual([
      { tag: 'web', count: 2 },
      { tag: 'django', count: 1 },
    ]);
    expect(index.page('flask', 0, 10)).toEqual({ ids: [], total: 0 });
  });

  it('leaves unknown posts alone on retag, and re-sorts a post whose date changed', () => {
    index.retag('zzz', ['web']);
    index.upsert(post('a', 400, 'web', 'flask'));
    expect(index.page('web', 0, 10).ids).toEqual(['a', 'b', 'c']);
    expect(index.counts()).toEqual([
      { tag: 'web', count: 3 },
      { tag: 'flask', count: 2 },
    ]);
  });

  it('empties on clear, its size with it', () => {
    expect(index.bytes).toBeGreaterThan(0);
    index.clear();
    expect(index.counts()).toEqual([]);
    expect(index.bytes).toBe(0);
  });
});
