import { Recommendable, compareRecommendationOrder, personalise } from './recommendation-rule';

const post = (id: string, tags: string[]): Recommendable => ({
  id,
  score: 60,
  upsanddowns: -60,
  num_comments: 0,
  tags,
});

/** The rule as first stated: filter everything, then preferred first, then cut. */
function personaliseByDefinition(
  ordered: Recommendable[],
  hiddenPostIds: Set<string>,
  preferred: string[],
  hidden: string[],
  limit: number,
) {
  const visible = ordered.filter((p) => !hiddenPostIds.has(p.id) && !(p.tags ?? []).some((t) => hidden.includes(t)));
  const isPreferred = (p: Recommendable) => (p.tags ?? []).some((t) => preferred.includes(t));
  return [...visible.filter(isPreferred), ...visible.filter((p) => !isPreferred(p))].slice(0, limit);
}

describe('personalise', () => {
  const list = [
    post('a', ['web']),
    post('b', ['django']),
    post('c', []),
    post('d', ['django', 'testing']),
    post('e', ['gui']),
  ];

  it('drops hidden posts and posts with a hidden tag', () => {
    const who = { hiddenPostIds: new Set(['a']), preferredTags: [], hiddenTags: ['gui'] };
    expect(personalise(list, who, 10).map((p) => p.id)).toEqual(['b', 'c', 'd']);
  });

  it('moves preferred posts first, keeping the base order within each group', () => {
    const who = { hiddenPostIds: new Set<string>(), preferredTags: ['testing', 'gui'], hiddenTags: [] };
    expect(personalise(list, who, 3).map((p) => p.id)).toEqual(['d', 'e', 'a']);
  });

  it('lets a hidden tag win over the same preferred tag', () => {
    const who = { hiddenPostIds: new Set<string>(), preferredTags: ['django'], hiddenTags: ['django'] };
    expect(personalise(list, who, 10).map((p) => p.id)).toEqual(['a', 'c', 'e']);
  });

  it('answers what the definition answers, for any list, user and limit', () => {
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const pick = <T>(items: T[]) => items.filter(() => random() < 0.3);
    const tags = ['a', 'b', 'c', 'd', 'e', 'f'];
    for (let round = 0; round < 200; round++) {
      const ordered = Array.from({ length: 40 }, (_, i) => ({
        id: `p${i}`,
        score: 51 + Math.floor(random() * 100),
        upsanddowns: -Math.floor(random() * 100),
        num_comments: Math.floor(random() * 5),
        tags: pick(tags),
      })).sort(compareRecommendationOrder);
      const hiddenPostIds = new Set(pick(ordered.map((p) => p.id)));
      const [preferredTags, hiddenTags] = [pick(tags), pick(tags)];
      const limit = 1 + Math.floor(random() * 45);
      expect(personalise(ordered, { hiddenPostIds, preferredTags, hiddenTags }, limit)).toEqual(
        personaliseByDefinition(ordered, hiddenPostIds, preferredTags, hiddenTags, limit),
      );
    }
  });
});
