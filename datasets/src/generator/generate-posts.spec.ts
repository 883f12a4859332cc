import { PassThrough } from 'node:stream';
import { defaultVocabulary } from '@app/domain';
import { dumpChunks, generatePosts, writeDump } from './generate-posts';

const text = (count: number, seed: number) => [...dumpChunks({ count, seed })].join('');

describe('dataset generator', () => {
  const lines = text(2000, 7).trimEnd().split('\n');
  const posts = lines.map((line) => JSON.parse(line));

  it('writes the same bytes for the same seed and different ones for another seed', () => {
    expect(text(300, 42)).toEqual(text(300, 42));
    expect(text(300, 42)).not.toEqual(text(300, 43));
  });

  it('writes one extended-JSON document per line with the dump keys in order', () => {
    expect(lines).toHaveLength(2000);
    expect(Object.keys(posts[0])).toEqual([
      '_id',
      'id',
      'name',
      'author',
      'title',
      'selftext',
      'score',
      'ups',
      'downs',
      'num_comments',
      'created_utc',
      'edited',
      'is_self',
      'over_18',
      'distinguished',
      'domain',
      'permalink',
      'url',
      'subreddit_id',
      'thumbnail',
      'author_flair_css_class',
      'link_flair_css_class',
      'link_flair_text',
    ]);
    expect(lines[0]).toMatch(/^\{ "_id" : \{ "\$oid" : "[0-9a-f]{24}" \}, "id" : "[0-9a-z]+", /);
  });

  it('spells booleans as "True"/"False" and edited as "False" or float seconds', () => {
    for (const post of posts) {
      expect(['True', 'False']).toContain(post.is_self);
      expect(['True', 'False']).toContain(post.over_18);
      expect(post.edited === 'False' || (typeof post.edited === 'number' && post.edited > post.created_utc)).toBe(true);
    }
    expect(lines.every((line) => /"created_utc" : \d+\.\d+,/.test(line))).toBe(true);
    expect(lines.some((line) => /"edited" : \d+\.\d+,/.test(line))).toBe(true);
    expect(lines.some((line) => line.includes('"edited" : "False"'))).toBe(true);
  });

  it('keeps score = ups - downs, with a good share above 50 and some negative', () => {
    for (const post of posts) expect(post.score).toBe(post.ups - post.downs);
    const above50 = posts.filter((post) => post.score > 50).length;
    expect(above50 / posts.length).toBeGreaterThan(0.08);
    expect(posts.some((post) => post.score < 0)).toBe(true);
  });

  it('gives unique base36 ids named t3_<id> with unique object ids', () => {
    expect(new Set(posts.map((post) => post.id)).size).toBe(posts.length);
    expect(new Set(posts.map((post) => post._id.$oid)).size).toBe(posts.length);
    for (const post of posts) {
      expect(post.id).toMatch(/^[0-9a-z]+$/);
      expect(post.name).toBe(`t3_${post.id}`);
      expect(post.permalink).toMatch(new RegExp(`^/r/Python/comments/${post.id}/[a-z0-9_]*/$`));
    }
  });

  it('spreads creation over several years', () => {
    const years = new Set(posts.map((post) => new Date(post.created_utc * 1000).getUTCFullYear()));
    expect(years.size).toBeGreaterThanOrEqual(5);
  });

  it('mixes self posts on self.Python with link posts to external domains', () => {
    const self = posts.filter((post) => post.is_self === 'True');
    const links = posts.filter((post) => post.is_self === 'False');
    expect(self.length).toBeGreaterThan(0);
    expect(links.length).toBeGreaterThan(0);
    for (const post of self) {
      expect(post.domain).toBe('self.Python');
      expect(post.url).toBe(`https://www.reddit.com${post.permalink}`);
    }
    for (const post of links) {
      expect(post.selftext).toBe('');
      expect(new URL(post.url).hostname.replace(/^www\./, '')).toBe(post.domain);
    }
    expect(new Set(links.map((post) => post.domain)).size).toBeGreaterThan(5);
  });

  it('uses vocabulary keywords so that most posts get auto tags', () => {
    const tagged = posts.filter((post) => defaultVocabulary.tagsFor(`${post.title} ${post.selftext}`).length > 0);
    expect(tagged.length / posts.length).toBeGreaterThan(0.5);
  });

  it('produces posts lazily, one at a time', () => {
    const posts = generatePosts({ count: 1_000_000, seed: 1 });
    expect(posts.next().value).toMatchObject({ name: expect.stringMatching(/^t3_/) });
    posts.return(undefined);
  });

  it('writes to a stream, waiting when the stream is full', async () => {
    const out = new PassThrough({ highWaterMark: 1024 });
    const received: Buffer[] = [];
    const writing = writeDump({ count: 500, seed: 3 }, out);
    out.on('data', (chunk: Buffer) => received.push(chunk));
    await writing;
    expect(Buffer.concat(received).toString()).toEqual(text(500, 3));
  });
});
