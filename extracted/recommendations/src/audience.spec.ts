import { Audience } from './audience';

describe('Audience', () => {
  let audience: Audience;

  beforeEach(() => {
    audience = new Audience();
    audience.load(
      [
        { user: 'carol', post_id: 'p1' },
        { user: 'carol', post_id: 'p2' },
        { user: 'dave', post_id: 'p1' },
      ],
      [{ user: 'carol', tags: ['django'], hiddenTags: ['flask'] }],
    );
  });

  it("gives a user's hidden posts and tag preferences", () => {
    expect(audience.of('carol')).toEqual({
      hiddenPostIds: new Set(['p1', 'p2']),
      preferredTags: ['django'],
      hiddenTags: ['flask'],
    });
    expect(audience.of('dave')).toEqual({ hiddenPostIds: new Set(['p1']), preferredTags: [], hiddenTags: [] });
  });

  it('knows nothing of a user it never heard of', () => {
    expect(audience.of('nobody')).toEqual({ hiddenPostIds: new Set(), preferredTags: [], hiddenTags: [] });
  });

  it('counts a repeated hide once, and replaces preferences', () => {
    audience.hide('carol', 'p1');
    audience.hide('erin', 'p3');
    audience.prefer({ user: 'carol', tags: [], hiddenTags: ['web'] });
    expect(audience.size).toBe(5);
    expect(audience.of('carol')).toMatchObject({ preferredTags: [], hiddenTags: ['web'] });
  });

  it('reports a size that empties on clear', () => {
    expect(audience.bytes()).toBeGreaterThan(0);
    audience.clear();
    expect({ size: audience.size, bytes: audience.bytes() }).toEqual({ size: 0, bytes: 0 });
  });
});
