import { TopK } from './top-k';
import { seeded } from '../../../test/support/seeded';

interface Item {
  id: string;
  score: number;
}

const byScoreDescThenId = (a: Item, b: Item) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function topOf(items: readonly Item[], k: number): Item[] {
  const top = new TopK<Item>(k, byScoreDescThenId);
  for (const item of items) top.offer(item);
  return top.sorted();
}

describe('TopK', () => {
  it.each([1, 2, 17, 99])('keeps the same first items as a full sort (seed %i)', (seed) => {
    const random = seeded(seed);
    // Few distinct scores, so that ties are decided by id.
    const items = Array.from({ length: 500 }, (_, n) => ({ id: `p${n}`, score: Math.floor(random() * 20) }));
    const sorted = [...items].sort(byScoreDescThenId);
    for (const k of [1, 10, 100, 499, 500, 800]) expect(topOf(items, k)).toEqual(sorted.slice(0, k));
  });

  it('keeps nothing for k = 0 and everything offered when fewer than k', () => {
    const items = [
      { id: 'a', score: 1 },
      { id: 'b', score: 3 },
    ];
    expect(topOf(items, 0)).toEqual([]);
    expect(topOf(items, 5)).toEqual([items[1], items[0]]);
  });
});
