import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { aPost, insertPosts } from './support/builders';
import { createMonolithApp } from './support/monolith-app';
import { openTestDb } from './support/store';

/**
 * Hostile input against every endpoint of the monolith's posts, engagement,
 * jobs and data features: bad input is a 4xx with the JSON error shape (and a
 * message naming the field where there is one), unknown ids are 404, an
 * oversized body is 413, and nothing a client sends yields a 500.
 */

interface BodyEndpoint {
  path: string;
  /** A body the endpoint accepts. */
  valid: Record<string, unknown>;
  /** The field a missing or malformed body is reported under. */
  field: string;
  /** Free text: any string within its length limit is a valid value. */
  freeText?: boolean;
}

const BODY_ENDPOINTS: BodyEndpoint[] = [
  { path: '/posts', valid: { title: 'Hello', author: 'bob' }, field: 'title', freeText: true },
  { path: '/posts/known/likes', valid: { user: 'bob' }, field: 'user' },
  { path: '/posts/known/shares', valid: { user: 'bob' }, field: 'user' },
  { path: '/posts/known/hide', valid: { user: 'bob' }, field: 'user' },
  { path: '/jobs', valid: { kind: 'reindex' }, field: 'kind' },
];

const QUERY_ENDPOINTS = ['/posts', '/data'];
const PAGE_SIZE_PARAM: Record<string, string> = { '/posts': 'limit', '/data': 'max_results' };

/** Bodies that are valid JSON but not what any endpoint takes, each naming the offending field. */
const HOSTILE_VALUES: [string, unknown][] = [
  ['an array', ['bob']],
  ['an object', { nested: 'bob' }],
  ['a Mongo operator', { $ne: null }],
  ['a regex operator', { $regex: '.*' }],
  ['null', null],
  ['a boolean', true],
  ['a huge number', 1e308],
  ['a negative number', -1],
  ['an empty string', ''],
  ['a 100 000-character string', 'x'.repeat(100_000)],
  ['a string of spaces', '     '],
  ['a non-ASCII string', 'ユーザー'],
  ['an emoji', '🐍'],
  ['a NUL character', 'bo\u0000b'],
  ['a right-to-left override', '\u202Ebob'],
];

/** Raw bodies that are not a JSON object at all. */
const RAW_BODIES: [string, string][] = [
  ['a JSON array', '[{"user":"bob"}]'],
  ['a JSON string', '"bob"'],
  ['a JSON number', '42'],
  ['JSON null', 'null'],
  ['a number beyond float range', '{"user": 1e400, "kind": 1e400, "title": 1e400}'],
  ['truncated JSON', '{"user": "bo'],
  ['a lone surrogate', '{"user": "\\ud800"}'],
  ['an operator key at the top', '{"$where": "sleep(1000)"}'],
  ['a __proto__ key', '{"__proto__": {"admin": true}}'],
  ['a constructor key', '{"constructor": {"prototype": {"admin": true}}}'],
];

describe('monolith errors', () => {
  let app: INestApplication;
  let testDb: Awaited<ReturnType<typeof openTestDb>>;
  const http = () => request(app.getHttpServer());

  /** The JSON error shape with the status it was sent with, and never a 5xx. */
  const expectClientError = (res: request.Response, status?: number) => {
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    if (status) expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body).toEqual({ statusCode: res.status, error: expect.any(String), message: expect.any(String) });
  };

  beforeAll(async () => {
    testDb = await openTestDb('monolith_errors');
    app = await createMonolithApp(testDb.dbName);
    await insertPosts(testDb.db, [aPost({ id: 'known' })]);
  });

  afterAll(async () => {
    await app?.close();
    await testDb?.close();
  });

  describe.each(BODY_ENDPOINTS)('POST $path', ({ path, valid, field, freeText }) => {
    it('accepts its valid body (the baseline for the cases below)', async () => {
      const res = await http().post(path).send(valid);
      expect([201, 202]).toContain(res.status);
    });

    it(`rejects an empty body with a 400 naming ${field}`, async () => {
      const res = await http().post(path).send({});
      expectClientError(res, 400);
      expect(res.body.message).toMatch(field);
    });

    it.each(HOSTILE_VALUES)(`rejects %s as ${field} with a 400 naming it`, async (_case, value) => {
      const res = await http()
        .post(path)
        .send({ ...valid, [field]: value });
      if (res.status === 413) return expectClientError(res, 413);
      if (freeText && typeof value === 'string' && res.status === 201) return;
      expectClientError(res, 400);
      expect(res.body.message).toMatch(field);
    });

    it.each(RAW_BODIES)('answers %s with a 4xx', async (_case, raw) => {
      const res = await http().post(path).set('content-type', 'application/json').send(raw);
      expectClientError(res);
    });

    it('rejects an unknown field with a 400 naming it', async () => {
      const res = await http()
        .post(path)
        .send({ ...valid, isAdmin: true });
      expectClientError(res, 400);
      expect(res.body.message).toMatch('isAdmin');
    });

    it.each(['__proto__', 'constructor', 'prototype'])(
      'rejects a field named %s, at the top or nested, with a 400 naming it',
      async (key) => {
        const body = JSON.stringify(valid);
        for (const raw of [`{"${key}":{"x":1},${body.slice(1)}`, `{"extra":{"${key}":{}},${body.slice(1)}`]) {
          const res = await http().post(path).set('content-type', 'application/json').send(raw);
          expectClientError(res, 400);
          expect(res.body.message).toMatch(key);
        }
      },
    );

    it('rejects an operator-named field with a 400 naming it', async () => {
      const res = await http()
        .post(path)
        .send({ ...valid, $set: { score: 1e9 } });
      expectClientError(res, 400);
      expect(res.body.message).toMatch('$set');
    });

    it.each([
      ['text/plain', JSON.stringify({})],
      ['application/x-www-form-urlencoded', 'user=bob&kind=reindex&title=x&author=bob'],
      ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="user"\r\n\r\nbob\r\n--x--'],
      ['application/xml', '<user>bob</user>'],
    ])('does not read a %s body: 400 naming the missing field', async (type, raw) => {
      const res = await http().post(path).set('content-type', type).send(raw);
      expectClientError(res, 400);
      expect(res.body.message).toMatch(field);
    });

    it('answers an unsupported charset with a 415', async () => {
      const res = await http()
        .post(path)
        .set('content-type', 'application/json; charset=ebcdic')
        .send(JSON.stringify(valid));
      expectClientError(res, 415);
    });

    it('answers an over-limit body with a 413', async () => {
      const res = await http()
        .post(path)
        .send({ ...valid, padding: 'x'.repeat(2_000_000) });
      expectClientError(res, 413);
    });
  });

  describe.each(QUERY_ENDPOINTS)('GET %s', (path) => {
    const size = PAGE_SIZE_PARAM[path];

    it.each([
      [`${size}=0`, size],
      [`${size}=101`, size],
      [`${size}=-1`, size],
      [`${size}=1e309`, size],
      [`${size}=99999999999999999999`, size],
      [`${size}=2.5`, size],
      [`${size}=`, size],
      [`${size}=%00`, size],
      [`${size}=%F0%9F%90%8D`, size],
      ['page=0', 'page'],
      ['page=abc', 'page'],
      ['page=1e309', 'page'],
      ['page=NaN', 'page'],
      ['page=Infinity', 'page'],
      ['page=1&page=2', 'page'],
      ['page[]=1', 'page'],
      ['page[$gt]=0', 'page'],
      ['page=$gt', 'page'],
      ['sort=-1', 'sort'],
      ['%24where=1', '$where'],
    ])('rejects ?%s with a 400 naming the field', async (query, named) => {
      const res = await http().get(`${path}?${query}`);
      expectClientError(res, 400);
      expect(res.body.message).toMatch(named);
    });
  });

  describe('a value of the wrong type or a missing one', () => {
    it.each([
      ['/search', 'q must be given: the words to search for'],
      ['/search?q=python&page=abc', 'page must be an integer number'],
      ['/posts?limit=5abc', 'limit must be an integer number'],
      ['/posts?limit=0x10', 'limit must be an integer number'],
      ['/posts?page=1e1', 'page must be an integer number'],
    ])('GET %s says only that: %s', async (path, message) => {
      const res = await http().get(path);
      expectClientError(res, 400);
      expect(res.body.message).toBe(message);
    });

    it('says a non-string selftext must be a string, and nothing about its length', async () => {
      const res = await http().post('/posts').send({ title: 'Hello', author: 'bob', selftext: 123 });
      expectClientError(res, 400);
      expect(res.body.message).toBe('selftext must be a string');
    });
  });

  describe('ids in the path', () => {
    const POST_ID_PATHS = ['/posts/:id', '/posts/:id/stats'];
    const POST_ID_WRITES = ['/posts/:id/likes', '/posts/:id/shares', '/posts/:id/hide'];
    const JOB_PATHS = ['/jobs/:id', '/jobs/:id/result'];
    const MALFORMED_IDS = [
      'bad$id',
      'a.b',
      '%E2%9C%93',
      'x'.repeat(65),
      '%00',
      '%27%20OR%201%3D1',
      '%7B%22%24gt%22%3A%22%22%7D',
    ];

    it.each(POST_ID_PATHS)('GET %s answers 404 for an unknown post', async (template) => {
      const res = await http().get(template.replace(':id', 'nope'));
      expectClientError(res, 404);
      expect(res.body.message).toBe('post nope not found');
    });

    it.each(POST_ID_WRITES)('POST %s answers 404 for an unknown post', async (template) => {
      const res = await http().post(template.replace(':id', 'nope')).send({ user: 'bob' });
      expectClientError(res, 404);
    });

    it.each(JOB_PATHS)('GET %s answers 404 for an unknown job', async (template) => {
      const res = await http().get(template.replace(':id', 'nope'));
      expectClientError(res, 404);
      expect(res.body.message).toBe('job nope not found');
    });

    it.each([...POST_ID_PATHS, ...JOB_PATHS].flatMap((template) => MALFORMED_IDS.map((id) => [template, id])))(
      'GET %s answers 400 naming id for %s',
      async (template, id) => {
        const res = await http().get(template.replace(':id', id));
        expectClientError(res, 400);
        expect(res.body.message).toMatch(/\bid\b/);
      },
    );

    it.each(POST_ID_WRITES.flatMap((template) => MALFORMED_IDS.map((id) => [template, id])))(
      'POST %s answers 400 naming id for %s',
      async (template, id) => {
        const res = await http().post(template.replace(':id', id)).send({ user: 'bob' });
        expectClientError(res, 400);
        expect(res.body.message).toMatch(/\bid\b/);
      },
    );

    it('answers a malformed percent-encoding with a 4xx', async () => {
      expectClientError(await http().get('/posts/%E0%A4%A'));
      expectClientError(await http().get('/jobs/%'));
    });

    it('answers a query string with a broken %-escape with a 400 saying so', async () => {
      for (const path of ['/search?q=%E0%A4%A', '/posts?page=%', '/tags?x=%zz']) {
        const res = await http().get(path);
        expectClientError(res, 400);
        expect(res.body.message).toBe('the query string is not valid percent-encoding');
      }
    });
  });

  describe('unknown routes', () => {
    it.each([
      ['GET', '/nope'],
      ['DELETE', '/posts/known'],
      ['PUT', '/jobs'],
      ['POST', '/data'],
      ['POST', '/posts/known/stats'],
    ])('%s %s answers a JSON 404', async (method, path) => {
      const res = await http()[method.toLowerCase() as 'get'](path);
      expectClientError(res, 404);
    });
  });

  it('still serves after the whole battery', async () => {
    await http().get('/health').expect(200);
    await http().get('/posts/known').expect(200);
  });
});
