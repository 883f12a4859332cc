import { ObjectId } from 'mongodb';
import { POST_ID_PATTERN } from '@app/contracts';

/** A post read from a dump, with the types the store keeps. */
export interface NormalisedPost {
  /** The dump's `$oid`, kept when the post is first inserted. */
  _id?: ObjectId;
  id: string;
  name: string;
  author: string;
  title: string;
  selftext: string;
  score: number;
  ups: number;
  downs: number;
  num_comments: number;
  created_utc: number;
  edited: false | number;
  is_self: boolean;
  over_18: boolean;
  domain: string;
  permalink: string;
  url: string;
  [key: string]: unknown;
}

export type Normalised = { post: NormalisedPost } | { reason: string };

/** Computed at import, or owned by the monolith once a post is stored: a file's values are ignored. */
const DERIVED_FIELDS = new Set(['upsanddowns', 'title_words', 'auto_tags', 'manual_tags', 'tags', 'outbox']);

class Rejection extends Error {}

function reject(reason: string): never {
  throw new Rejection(reason);
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

const missing = (value: unknown): value is null | undefined => value === null || value === undefined;

function postId(value: unknown): string {
  if (missing(value) || value === '') reject('missing id');
  if (typeof value === 'number' && !Number.isSafeInteger(value)) {
    reject(`id ${show(value)} is a number that cannot be read exactly; write it as a string`);
  }
  if (typeof value !== 'string' && typeof value !== 'number') reject(`id must be a string, got ${kind(value)}`);
  const id = String(value).trim();
  if (id === '') reject('missing id');
  if (!POST_ID_PATTERN.test(id)) reject(`id ${show(id)} must be 1-32 letters, digits or _`);
  return id;
}

/** Strings stay, numbers become strings (`author: 1234`), anything else is an error. */
function text(value: unknown, field: string): string | undefined {
  if (missing(value)) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return reject(`${field} must be a string, got ${kind(value)}`);
}

function wholeNumber(value: unknown, field: string, min: number): number | undefined {
  if (missing(value)) return undefined;
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min) {
    reject(`${field} must be a whole number${min === 0 ? ' >= 0' : ''}, got ${show(value)}`);
  }
  return n;
}

function seconds(value: unknown, field: string, expected = 'seconds since 1970'): number | undefined {
  if (missing(value)) return undefined;
  const n =
    value instanceof Date
      ? value.getTime() / 1000
      : typeof value === 'number'
        ? value
        : typeof value === 'string' && value.trim() !== ''
          ? Number(value)
          : NaN;
  if (!Number.isFinite(n) || n < 0) reject(`${field} must be ${expected}, got ${show(value)}`);
  return n;
}

const TRUE = /^(true|1)$/i;
const FALSE = /^(false|0)$/i;

/** The dump's "True"/"False", JSON booleans, and 1/0. */
function flag(value: unknown, field: string): boolean | undefined {
  if (missing(value)) return undefined;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' || typeof value === 'number') {
    if (TRUE.test(String(value).trim())) return true;
    if (FALSE.test(String(value).trim())) return false;
  }
  return reject(`${field} must be True or False, got ${show(value)}`);
}

/**
 * `edited` is False or the time of the edit. reddit's oldest posts say only
 * True; the creation time is the one time known for them, so it stands in.
 */
function edited(value: unknown, createdUtc: number): false | number {
  if (missing(value)) return false;
  if (typeof value === 'boolean' || (typeof value === 'string' && /^(true|false)$/i.test(value.trim()))) {
    return flag(value, 'edited') ? createdUtc : false;
  }
  const when = seconds(value, 'edited', 'False, True or seconds since 1970');
  return when === 0 || when === undefined ? false : when;
}

function storeId(value: unknown): ObjectId | undefined {
  if (value instanceof ObjectId) return value;
  return typeof value === 'string' && /^[0-9a-fA-F]{24}$/.test(value) ? new ObjectId(value) : undefined;
}

function host(url: string | undefined): string {
  try {
    return url ? new URL(url).hostname.replace(/^www\./, '') : '';
  } catch {
    return '';
  }
}

/** What both MongoDB and FerretDB can store: no `$`/`.` in keys, no arrays in arrays, finite numbers. */
function checkStorable(value: unknown, path: string): void {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) reject(`${path} is ${value}, which the store does not keep`);
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => {
      if (Array.isArray(item)) reject(`${path} holds an array inside an array, which the store does not keep`);
      checkStorable(item, `${path}.${i}`);
    });
  } else if (value !== null && typeof value === 'object' && !(value instanceof Date) && !(value instanceof ObjectId)) {
    for (const [key, item] of Object.entries(value)) {
      checkKey(key, path);
      checkStorable(item, `${path}.${key}`);
    }
  }
}

function checkKey(key: string, parent?: string): void {
  if (key.startsWith('$') || key.includes('.') || key.includes('\0') || key === '__proto__' || key === '') {
    reject(`key ${show(key)}${parent ? ` in ${parent}` : ''} cannot be stored (empty, starts with $, or has . or NUL)`);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    !(value instanceof Date) &&
    !(value instanceof ObjectId)
  );
}

function readPost(raw: Record<string, unknown>): NormalisedPost {
  const id = postId(raw.id);
  const title = text(raw.title, 'title');
  if (title === undefined) reject('missing title');
  if (title.trim() === '') reject('title is empty');
  let ups = wholeNumber(raw.ups, 'ups', 0);
  let downs = wholeNumber(raw.downs, 'downs', 0);
  if (ups === undefined && downs === undefined) {
    // Exports that carry only a score keep it; the dump always has ups and downs.
    const score = wholeNumber(raw.score, 'score', Number.MIN_SAFE_INTEGER) ?? 0;
    ups = Math.max(score, 0);
    downs = Math.max(-score, 0);
  }
  ups ??= 0;
  downs ??= 0;
  const createdUtc = seconds(raw.created_utc, 'created_utc');
  if (createdUtc === undefined) reject('missing created_utc');
  const url = text(raw.url, 'url');
  const domain = text(raw.domain, 'domain');
  const isSelf =
    flag(raw.is_self, 'is_self') ?? (domain === undefined ? url === undefined : domain.startsWith('self.'));
  const permalink = text(raw.permalink, 'permalink') ?? `/r/Python/comments/${id}/`;
  const post: NormalisedPost = {
    id,
    name: text(raw.name, 'name') || `t3_${id}`,
    author: text(raw.author, 'author') ?? '',
    title,
    selftext: text(raw.selftext, 'selftext') ?? '',
    score: ups - downs,
    ups,
    downs,
    num_comments: wholeNumber(raw.num_comments, 'num_comments', 0) ?? 0,
    created_utc: createdUtc,
    edited: edited(raw.edited, createdUtc),
    is_self: isSelf,
    over_18: flag(raw.over_18, 'over_18') ?? false,
    domain: domain ?? (isSelf ? 'self.Python' : host(url)),
    permalink,
    url: url ?? `https://www.reddit.com${permalink}`,
  };
  for (const [key, value] of Object.entries(raw)) {
    if (Object.hasOwn(post, key) || key === '_id' || DERIVED_FIELDS.has(key)) continue;
    checkKey(key);
    checkStorable(value, key);
    post[key] = value;
  }
  const _id = storeId(raw._id);
  return _id ? { _id, ...post } : post;
}

/**
 * Turns one parsed document into a post with the store's types, or says why
 * it cannot be one. Unknown keys are kept as they are.
 */
export function normalisePost(value: unknown): Normalised {
  if (!isRecord(value)) return { reason: `not a JSON object (got ${kind(value)})` };
  try {
    return { post: readPost(value) };
  } catch (error) {
    if (error instanceof Rejection) return { reason: error.message };
    throw error;
  }
}
