import { Ranking } from './ranking';

interface Entry {
  id: string;
  rank: number;
}

const byRankThenId = (a: Entry, b: Entry) => a.rank - b.rank || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const ids = (ranking: Ranking<Entry>) => ranking.all.map((entry) => entry.id);

describe('Ranking', () => {
  let ranking: Ranking<Entry>;

  beforeEach(() => {
    ranking = new Ranking(byRankThenId);
    ranking.load([
      { id: 'c', rank: 3 },
      { id: 'a', rank: 1 },
      { id: 'b', rank: 2 },
      { id: 'b2', rank: 2 },
    ]);
  });

  it('loads entries in order', () => {
    expect(ids(ranking)).toEqual(['a', 'b', 'b2', 'c']);
    expect(ranking.first(2).map((entry) => entry.id)).toEqual(['a', 'b']);
  });

  it('inserts a new entry where it ranks', () => {
    ranking.upsert({ id: 'b1', rank: 2 });
    ranking.upsert({ id: 'z', rank: 0 });
    ranking.upsert({ id: 'y', rank: 9 });
    expect(ids(ranking)).toEqual(['z', 'a', 'b', 'b1', 'b2', 'c', 'y']);
  });

  it('moves an entry whose values changed, keeping one copy', () => {
    ranking.upsert({ id: 'a', rank: 5 });
    expect(ids(ranking)).toEqual(['b', 'b2', 'c', 'a']);
    expect(ranking.get('a')).toEqual({ id: 'a', rank: 5 });
  });

  it('removes entries by id and ignores unknown ones', () => {
    ranking.remove('b');
    ranking.remove('nope');
    expect(ids(ranking)).toEqual(['a', 'b2', 'c']);
    expect(ranking.get('b')).toBeUndefined();
  });

  it('keeps the last of duplicate ids given to load', () => {
    ranking.load([
      { id: 'a', rank: 1 },
      { id: 'a', rank: 4 },
      { id: 'b', rank: 2 },
    ]);
    expect(ranking.all).toEqual([
      { id: 'b', rank: 2 },
      { id: 'a', rank: 4 },
    ]);
  });
});
