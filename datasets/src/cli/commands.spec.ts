import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { openTestDb, testMongoUrl } from '../../../test/support/store';
import { formatDumpLine } from '../dump-format';
import { dumpChunks, generatePosts } from '../generator/generate-posts';
import { CommandIo } from './io';
import { runGenerate } from './generate-command';
import { runImport } from './import-command';

/** Streams that remember what the command wrote. */
function captureIo(): CommandIo & { out: () => string; err: () => string } {
  const capture = () => {
    const stream = new PassThrough();
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    return { stream, text: () => Buffer.concat(chunks).toString() };
  };
  const stdout = capture();
  const stderr = capture();
  return { stdout: stdout.stream, stderr: stderr.stream, out: stdout.text, err: stderr.text };
}

describe('dataset commands', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'strangler-dataset-cli-'));
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  describe('npm run generate', () => {
    it('writes the dump to stdout', async () => {
      const io = captureIo();
      expect(await runGenerate(['--count', '25', '--seed', '9'], {}, io)).toBe(0);
      expect(io.out()).toEqual([...dumpChunks({ count: 25, seed: 9 })].join(''));
    });

    it('writes the dump to --out and says so on stderr', async () => {
      const io = captureIo();
      const out = join(dir, 'posts.json');
      expect(await runGenerate(['--count=30', '--out', 'posts.json'], { INIT_CWD: dir }, io)).toBe(0);
      expect(readFileSync(out, 'utf8')).toEqual([...dumpChunks({ count: 30, seed: 42 })].join(''));
      expect(io.err()).toBe(`wrote 30 posts (seed 42) to ${out}\n`);
    });

    it.each([
      [['--count', 'many'], '--count must be a whole number from 1 to 1000000, got "many"'],
      [['--count', '0'], '--count must be a whole number from 1 to 1000000, got "0"'],
      [['--count', '1000001'], '--count must be a whole number from 1 to 1000000, got "1000001"'],
      [['--seed=-1'], '--seed must be a whole number from 0 to 4294967295, got "-1"'],
      [['--bogus'], "Unknown option '--bogus'"],
      [['posts.json'], 'unexpected argument "posts.json"'],
    ])('rejects %j with a message and the usage (exit 2)', async (argv, message) => {
      const io = captureIo();
      expect(await runGenerate(argv, {}, io)).toBe(2);
      expect(io.err()).toContain(message);
      expect(io.err()).toContain('Usage: npm run generate');
      expect(io.out()).toBe('');
    });
  });

  describe('npm run import', () => {
    let testDb: Awaited<ReturnType<typeof openTestDb>>;
    let env: NodeJS.ProcessEnv;

    beforeAll(async () => {
      testDb = await openTestDb('import_cli');
      env = { MONGO_URL: testMongoUrl(), MONGO_DB: testDb.dbName };
    });

    afterAll(async () => {
      await testDb?.close();
    });

    it('imports a file and prints the counts and the rejected lines', async () => {
      const [a, b] = [...generatePosts({ count: 2, seed: 4 })];
      const file = join(dir, 'some-bad.json');
      writeFileSync(file, [formatDumpLine(a), '{"id": "x"', formatDumpLine(b), '42'].join('\n'));
      const io = captureIo();
      expect(await runImport([file, '--drop'], env, io)).toBe(0);
      expect(io.out()).toMatch(new RegExp(`^imported 4 documents into ${testDb.dbName}\\.posts in `));
      expect(io.out()).toContain('  inserted   2\n  updated    0\n  unchanged  0\n  rejected   2\n');
      expect(io.out()).toMatch(
        /rejected lines:\n {2}line 2: not valid JSON: .*\n {2}line 4: not a JSON object \(got a number\)\n$/,
      );
      expect(await testDb.db.collection('posts').countDocuments({})).toBe(2);
    });

    it('reads a path relative to where npm was run, listing the first 20 rejects and counting the rest', async () => {
      const file = join(dir, 'all-bad.json');
      writeFileSync(file, Array.from({ length: 25 }, (_, i) => `{"id": "bad${i}"}`).join('\n'));
      const io = captureIo();
      expect(await runImport(['all-bad.json'], { ...env, INIT_CWD: dir }, io)).toBe(0);
      expect(io.out()).toContain('rejected lines (first 20):\n  line 1: missing title\n');
      expect(io.out()).toContain('  line 20: missing title\n  ... and 5 more\n');
    });

    it('needs MONGO_URL, naming it when it is missing (exit 2)', async () => {
      const io = captureIo();
      expect(await runImport([join(dir, 'all-bad.json')], {}, io)).toBe(2);
      expect(io.err()).toMatch(/MONGO_URL must be a mongodb:\/\/ or mongodb\+srv:\/\/ URL/);
    });

    it('rejects a bad MONGO_DB (exit 2)', async () => {
      const io = captureIo();
      expect(await runImport([join(dir, 'all-bad.json')], { ...env, MONGO_DB: 'no/slashes' }, io)).toBe(2);
      expect(io.err()).toContain('MONGO_DB must be 1-63 letters, digits, _ or -');
    });

    it.each([
      [[], 'missing the file to import'],
      [['a.json', 'b.json'], 'give exactly one file to import'],
      [['a.json', '--batch-size', '0'], '--batch-size must be a whole number from 1 to 10000, got "0"'],
      [['a.json', '--force'], "Unknown option '--force'"],
    ])('rejects %j with a message and the usage (exit 2)', async (argv, message) => {
      const io = captureIo();
      expect(await runImport(argv, env, io)).toBe(2);
      expect(io.err()).toContain(message);
      expect(io.err()).toContain('Usage: npm run import -- <file>');
    });

    it('fails with exit 1 and leaves the store alone when the file is missing', async () => {
      const io = captureIo();
      expect(await runImport([join(dir, 'nope.json'), '--drop'], env, io)).toBe(1);
      expect(io.err()).toMatch(/^import failed: ENOENT/);
      expect(await testDb.db.collection('posts').countDocuments({})).toBe(2);
    });
  });
});
