import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultVocabulary, derivePostFields, mergeTags } from '@app/domain';
import { aPost, insertPosts } from '../../../test/support/builders';
import { openTestDb, testMongoUrl } from '../../../test/support/store';
import { CATALOG_INDEXES } from '@app/posts';
import { DumpPost, formatDumpLine } from '../dump-format';
import { generatePosts, writeDumpFile } from '../generator/generate-posts';
import { ImportOptions, countPosts, importFile, importStream, seedDemoPosts } from './import-posts';

const dump = (count: number, seed: number) => [...generatePosts({ count, seed })];
const lines = (posts: DumpPost[]) => posts.map((post) => `${formatDumpLine(post)}\n`).join('');

/** What the store must hold for a dump post: the store's types plus the derived fields. */
function expectedDocument(post: DumpPost) {
  const { _id: _dumpId, edited, is_self, over_18, ...rest } = post;
  return {
    ...rest,
    _id: post.id,
    edited: edited === 'False' ? false : edited,
    is_self: is_self === 'True',
    over_18: over_18 === 'True',
    ...derivePostFields(post, defaultVocabulary),
  };
}

describe('importing posts', () => {
  let testDb: Awaited<ReturnType<typeof openTestDb>>;
  let dir: string;
  const posts = () => testDb.db.collection('posts');
  const options = (more: Partial<ImportOptions> = {}): ImportOptions => ({
    mongoUrl: testMongoUrl(),
    dbName: testDb.dbName,
    ...more,
  });
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const stored = () =>
    posts()
      .find({}, { projection: { outbox: 0, announced_event: 0 } })
      .sort({ id: 1 })
      .toArray();

  beforeAll(async () => {
    testDb = await openTestDb('import');
    dir = mkdtempSync(join(tmpdir(), 'strangler-import-'));
  });

  afterAll(async () => {
    await testDb?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  describe('a generated dump', () => {
    const generated = dump(300, 11);
    let dumpFile: string;

    beforeAll(async () => {
      dumpFile = join(dir, 'generated.json');
      await writeDumpFile({ count: 300, seed: 11 }, dumpFile);
    });

    it('round-trips: every post is stored with the store types and its derived fields', async () => {
      const summary = await importFile(dumpFile, options({ drop: true }));
      expect(summary).toEqual({ documents: 300, inserted: 300, updated: 0, unchanged: 0, rejected: 0, rejects: [] });
      const byId = new Map((await stored()).map((doc) => [doc.id, doc]));
      expect(byId.size).toBe(300);
      for (const post of generated) expect(byId.get(post.id)).toEqual(expectedDocument(post));
      expect([...byId.values()].filter((doc) => doc.tags.length > 0).length).toBeGreaterThan(150);
    });

    it('creates the indexes the monolith queries need', async () => {
      for (const [collection, indexes] of Object.entries(CATALOG_INDEXES)) {
        const names = (await testDb.db.collection(collection).listIndexes().toArray()).map((index) => index.name);
        expect(names).toEqual(expect.arrayContaining(indexes.map((index) => index.name)));
      }
    });

    it('is idempotent: importing again changes nothing and says so', async () => {
      const before = await stored();
      const summary = await importFile(dumpFile, options({ batchSize: 70 }));
      expect(summary).toEqual({ documents: 300, inserted: 0, updated: 0, unchanged: 300, rejected: 0, rejects: [] });
      expect(await stored()).toEqual(before);
    });

    it('keeps manual tags added through the API, also when the file changes the post', async () => {
      const [first] = generated;
      const { auto_tags } = derivePostFields(first, defaultVocabulary);
      await posts().updateOne(
        { id: first.id },
        { $set: { manual_tags: ['mine'], tags: mergeTags(auto_tags, ['mine']) } },
      );

      expect(await importFile(dumpFile, options())).toMatchObject({ inserted: 0, updated: 0, unchanged: 300 });
      expect(await posts().findOne({ id: first.id })).toMatchObject({
        manual_tags: ['mine'],
        tags: mergeTags(auto_tags, ['mine']),
      });

      const changed = { ...first, title: 'Rewritten with asyncio and pytest' };
      const summary = await importFile(file('changed.json', lines([changed, ...generated.slice(1)])), options());
      expect(summary).toMatchObject({ inserted: 0, updated: 1, unchanged: 299, rejected: 0 });
      expect(await posts().findOne({ id: first.id })).toMatchObject({
        title: changed.title,
        auto_tags: ['async', 'testing'],
        manual_tags: ['mine'],
        tags: ['async', 'mine', 'testing'],
      });
    });

    it('inserts new posts and updates changed ones in any batch of a re-import', async () => {
      const edited = generated.map((post, i) => (i === 150 ? { ...post, selftext: 'Now about Django' } : post));
      const added = dump(10, 99).map((post, i) => ({ ...post, id: `added${i}`, name: `t3_added${i}` }));
      const summary = await importFile(file('grown.json', lines([...edited, ...added])), options({ batchSize: 70 }));
      // The first post's title was rewritten in the store by the previous test; the file restores it.
      expect(summary).toMatchObject({ documents: 310, inserted: 10, updated: 2, unchanged: 298, rejected: 0 });
      expect(await posts().findOne({ id: generated[150].id })).toMatchObject({ selftext: 'Now about Django' });
      expect(await posts().countDocuments({ id: { $in: added.map((post) => post.id) } })).toBe(10);
    });

    it('empties the collection first when asked to drop', async () => {
      await insertPosts(testDb.db, [aPost({ id: 'stray' })]);
      const summary = await importFile(dumpFile, options({ drop: true }));
      expect(summary).toMatchObject({ inserted: 300, updated: 0, unchanged: 0 });
      expect(await posts().countDocuments({})).toBe(300);
      expect(await posts().findOne({ id: 'stray' })).toBeNull();
      expect(await countPosts(testMongoUrl(), testDb.dbName)).toBe(300);
    });
  });

  describe('a file with odd and malformed lines', () => {
    const [good1, good2] = dump(2, 5);
    const text = [
      /* 1 */ formatDumpLine(good1),
      /* 2 */ '',
      /* 3 */ '{"id": 12345, "title": "Numeric id", "author": 4242, "created_utc": 1338984000.0, "edited": 1339077397.5, "ups": 3, "downs": 1}',
      /* 4 */ formatDumpLine(good2).slice(0, 80),
      /* 5 */ '[1, 2]',
      /* 6 */ '{"title": "no id here", "created_utc": 1338984000}',
      /* 7 */ '   ',
      /* 8 */ `${formatDumpLine({ ...good2, edited: 1339077397 })}\r`,
      /* 9 */ '{"id": "badups", "title": "Bad ups", "created_utc": 1338984000, "ups": "many"}',
      /* 10 */ 'not json at all',
      /* 11 */ '{"_id": {"$oid": "4fcf5b3cb25b4c3e1c0000ff"}, "id": "wrapped", "title": "Wrapped numbers", "author": {"$numberInt": "77"}, "created_utc": {"$numberDouble": "1338984000.0"}, "ups": {"$numberLong": "5"}, "downs": 0, "edited": "True"}',
    ].join('\n');

    it('imports the good lines and reports each bad one with its line number', async () => {
      const summary = await importFile(file('odd.json', text), options({ drop: true }));
      expect(summary).toMatchObject({ documents: 9, inserted: 4, updated: 0, unchanged: 0, rejected: 5 });
      expect(summary.rejects).toEqual([
        { line: 4, reason: expect.stringMatching(/^not valid JSON: /) },
        { line: 5, reason: 'not a JSON object (got an array)' },
        { line: 6, reason: 'missing id' },
        { line: 9, reason: 'ups must be a whole number >= 0, got "many"' },
        { line: 10, reason: expect.stringMatching(/^not valid JSON: /) },
      ]);
    });

    it('stores numeric ids and authors as strings and edited as seconds', async () => {
      expect(await posts().findOne({ id: '12345' })).toMatchObject({
        name: 't3_12345',
        author: '4242',
        edited: 1339077397.5,
        score: 2,
        upsanddowns: -2,
        is_self: true,
        tags: [],
      });
      expect(await posts().findOne({ id: good2.id })).toMatchObject({
        edited: 1339077397,
        is_self: good2.is_self === 'True',
      });
      expect(await posts().findOne({ id: 'wrapped' })).toMatchObject({
        _id: 'wrapped',
        author: '77',
        created_utc: 1338984000,
        ups: 5,
        edited: 1338984000,
      });
    });
  });

  describe('other inputs', () => {
    it('reads a JSON array of dump posts', async () => {
      const posts = dump(40, 21);
      const array = `[\n${posts.map((post) => `  ${JSON.stringify(post)}`).join(',\n')}\n]\n`;
      const summary = await importFile(file('array.json', array), options({ drop: true }));
      expect(summary).toMatchObject({ documents: 40, inserted: 40, rejected: 0 });
      const byId = new Map((await stored()).map((doc) => [doc.id, doc]));
      for (const post of posts) expect(byId.get(post.id)).toEqual(expectedDocument(post));
    });

    it('counts repeated ids in one file as one post and later lines as updates', async () => {
      const [post] = dump(1, 3);
      const renamed = { ...post, title: 'Second version' };
      const summary = await importFile(file('repeated.json', lines([post, renamed, renamed])), options({ drop: true }));
      expect(summary).toMatchObject({ documents: 3, inserted: 1, updated: 1, unchanged: 1, rejected: 0 });
      expect(await posts().find({ id: post.id }).toArray()).toEqual([
        expect.objectContaining({ title: 'Second version' }),
      ]);
    });

    it('updates a post the monolith created, whatever _id the dump gives it', async () => {
      await insertPosts(testDb.db, [aPost({ id: 'fromapi', title: 'Old title' })]);
      const line =
        '{"_id": {"$oid": "4fcf5b3cb25b4c3e1c0000aa"}, "id": "fromapi", "title": "New title", "created_utc": 1338984000}';
      expect(await importFile(file('api.json', line), options())).toMatchObject({ inserted: 0, updated: 1 });
      expect(await posts().find({ id: 'fromapi' }).toArray()).toEqual([
        expect.objectContaining({ _id: 'fromapi', title: 'New title' }),
      ]);
    });

    it('rejects a post too large for the store and imports the rest', async () => {
      const huge = JSON.stringify({ id: 'huge', title: 'Huge', created_utc: 1, nums: new Array(2_000_000).fill(0) });
      const small = '{"id": "small", "title": "Small", "created_utc": 1}';
      const summary = await importFile(file('huge.json', `${huge}\n${small}\n`), options());
      expect(summary).toMatchObject({
        inserted: 1,
        rejected: 1,
        rejects: [{ line: 1, reason: 'the post would exceed the 16 MiB document limit of the store' }],
      });
    });

    it('fails before touching the store when the file cannot be read', async () => {
      await expect(importFile(join(dir, 'missing.json'), options({ drop: true }))).rejects.toThrow(/ENOENT/);
      expect(await posts().countDocuments({})).toBeGreaterThan(0);
    });

    it('seeds demo posts straight from the generator', async () => {
      const summary = await seedDemoPosts(testMongoUrl(), testDb.dbName, 50);
      expect(summary).toMatchObject({ documents: 50, rejected: 0 });
      expect(summary.inserted + summary.unchanged).toBe(50);
    });
  });

  describe('streaming', () => {
    it('reads at most one batch ahead of what it has written', async () => {
      let pulled = 0;
      async function* source() {
        for (const post of generatePosts({ count: 2500, seed: 8 })) {
          pulled++;
          yield `${formatDumpLine(post)}\n`;
        }
      }
      let furthestAhead = 0;
      const summary = await importStream(
        source(),
        options({
          drop: true,
          batchSize: 100,
          onProgress: (progress) => {
            furthestAhead = Math.max(furthestAhead, pulled - progress.documents);
          },
        }),
      );
      expect(summary).toMatchObject({ documents: 2500, inserted: 2500 });
      expect(furthestAhead).toBeLessThanOrEqual(100);
    });
  });
});
