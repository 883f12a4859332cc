import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { Readable, Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { DumpPost, formatDumpLine } from '../dump-format';
import { authorName } from './authors';
import { link } from './links';
import { flair, selftext, slug, title } from './post-text';
import { Random } from './random';

export const MAX_POSTS = 1_000_000;

export interface GenerateOptions {
  count: number;
  seed: number;
}

const FIRST_CREATED = Date.UTC(2009, 0, 1) / 1000;
const LAST_CREATED = Date.UTC(2016, 0, 1) / 1000;
/** Ids grow with time like reddit's; this start keeps 1M posts at five base36 digits. */
const FIRST_ID = parseInt('a0000', 36);
const PYTHON_SUBREDDIT_ID = 't5_2qh0y';
const LINES_PER_CHUNK = 64;

/**
 * Heavy-tailed votes: most posts get a handful, about one in six scores
 * above 50, and a few controversial ones end up negative.
 */
function votes(rng: Random): { ups: number; downs: number } {
  const ups = Math.min(30_000, Math.max(1, Math.floor(Math.exp(2.6 + 1.7 * rng.normal()))));
  const downs = rng.chance(0.07)
    ? ups + rng.int(1, Math.ceil(ups / 2) + 3)
    : Math.floor(ups * (0.05 + 0.4 * rng.next()));
  return { ups, downs };
}

/** ObjectId hex as mongoimport would have made it: creation time, random bytes, a counter. */
function objectIdHex(rng: Random, created: number, counter: number): string {
  return `${created.toString(16).padStart(8, '0')}${rng.hex(10)}${(counter & 0xffffff).toString(16).padStart(6, '0')}`;
}

/** `count` posts of r/Python in the dump's format, the same ones for the same seed. */
export function* generatePosts({ count, seed }: GenerateOptions): Generator<DumpPost> {
  const rng = new Random(seed);
  const authorPool = Math.max(50, Math.round(count / 8));
  const secondsPerPost = (LAST_CREATED - FIRST_CREATED) / count;
  let idValue = FIRST_ID;
  for (let i = 0; i < count; i++) {
    idValue += rng.int(1, 40);
    const id = idValue.toString(36);
    const created = Math.floor(FIRST_CREATED + (i + rng.next()) * secondsPerPost);
    const year = new Date(created * 1000).getUTCFullYear();
    const author = rng.chance(0.03) ? '[deleted]' : authorName(Math.floor(authorPool * rng.next() ** 3));
    const postTitle = title(rng, year);
    const isSelf = rng.chance(0.6);
    const permalink = `/r/Python/comments/${id}/${slug(postTitle)}/`;
    const target = isSelf
      ? { url: `https://www.reddit.com${permalink}`, domain: 'self.Python' }
      : link(rng, author === '[deleted]' ? authorName(i) : author, postTitle, year);
    const { ups, downs } = votes(rng);
    const over18 = rng.chance(0.005);
    const linkFlair = rng.chance(0.2) ? flair(rng) : null;
    yield {
      _id: { $oid: objectIdHex(rng, created, i) },
      id,
      name: `t3_${id}`,
      author,
      title: postTitle,
      selftext: isSelf ? selftext(rng, year) : '',
      score: ups - downs,
      ups,
      downs,
      num_comments: Math.floor(ups * 0.5 * rng.next()) + (rng.chance(0.3) ? rng.int(0, 5) : 0),
      created_utc: created,
      edited: rng.chance(0.1) ? created + rng.int(60, 30 * 86_400) : 'False',
      is_self: isSelf ? 'True' : 'False',
      over_18: over18 ? 'True' : 'False',
      distinguished: rng.chance(0.003) ? 'moderator' : null,
      domain: target.domain,
      permalink,
      url: target.url,
      subreddit_id: PYTHON_SUBREDDIT_ID,
      thumbnail: isSelf ? 'self' : over18 ? 'nsfw' : rng.chance(0.7) ? 'default' : '',
      author_flair_css_class: rng.chance(0.05) ? 'python' : null,
      link_flair_css_class: linkFlair?.toLowerCase() ?? null,
      link_flair_text: linkFlair ?? '',
    };
  }
}

/** The dump's text, a few dozen newline-terminated lines per chunk. */
export function* dumpChunks(options: GenerateOptions): Generator<string> {
  let chunk = '';
  let lines = 0;
  for (const post of generatePosts(options)) {
    chunk += `${formatDumpLine(post)}\n`;
    if (++lines === LINES_PER_CHUNK) {
      yield chunk;
      chunk = '';
      lines = 0;
    }
  }
  if (chunk) yield chunk;
}

/** The dump as a readable stream, produced only as fast as it is consumed. */
export function dumpStream(options: GenerateOptions): Readable {
  return Readable.from(dumpChunks(options));
}

/** Writes the dump to `out` (left open), waiting whenever `out` asks to. */
export async function writeDump(options: GenerateOptions, out: Writable): Promise<void> {
  let failure: unknown;
  const remember = (error: unknown) => {
    failure = error;
  };
  out.on('error', remember);
  try {
    for (const chunk of dumpChunks(options)) {
      if (failure) throw failure;
      if (!out.write(chunk)) await once(out, 'drain');
    }
    if (failure) throw failure;
  } finally {
    out.off('error', remember);
  }
}

export async function writeDumpFile(options: GenerateOptions, file: string): Promise<void> {
  const out = createWriteStream(file);
  try {
    await writeDump(options, out);
  } finally {
    out.end();
  }
  await finished(out);
}
