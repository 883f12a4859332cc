import { EngagementCounts } from './engagement-counts';

describe('EngagementCounts', () => {
  let counts: EngagementCounts;

  beforeEach(() => {
    counts = new EngagementCounts();
    counts.load(
      ['p1', 'p2'],
      [
        { post_id: 'p1', kind: 'like' },
        { post_id: 'p1', kind: 'like' },
        { post_id: 'p1', kind: 'hide' },
        { post_id: 'p3', kind: 'share' },
      ],
    );
  });

  it('counts each kind per post, zero for a post nobody engaged with', () => {
    expect(counts.statsOf('p1')).toEqual({ likes: 2, shares: 0, hides: 1 });
    expect(counts.statsOf('p2')).toEqual({ likes: 0, shares: 0, hides: 0 });
  });

  it('knows the posts it was told of, and counts engagements of posts not known yet', () => {
    expect([counts.isKnown('p1'), counts.isKnown('p3')]).toEqual([true, false]);
    counts.knowPost('p3');
    counts.count('p3', 'share');
    expect(counts.statsOf('p3')).toEqual({ likes: 0, shares: 2, hides: 0 });
  });

  it('hands out copies: a caller cannot change the counts', () => {
    counts.statsOf('p1').likes = 99;
    expect(counts.statsOf('p1').likes).toBe(2);
  });

  it('reports its size, which empties on clear', () => {
    expect(counts.size).toBe(6);
    expect(counts.bytes).toBeGreaterThan(0);
    counts.clear();
    expect({ size: counts.size, bytes: counts.bytes }).toEqual({ size: 0, bytes: 0 });
  });
});
