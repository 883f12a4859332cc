import { Db } from 'mongodb';
import { defaultVocabulary, derivePostFields } from '@app/domain';
import { keyedPost, type KeyedPostDocument, PostCatalog, type PostDocument, POSTS_COLLECTION } from '@app/posts';

let sequence = 0;

/** A stored post with sensible defaults and derived fields computed from the overrides. */
export function aPost(overrides: Partial<PostDocument> = {}): PostDocument {
  sequence += 1;
  const id = overrides.id ?? `t${sequence.toString(36)}`;
  const ups = overrides.ups ?? 10;
  const downs = overrides.downs ?? 2;
  const title = overrides.title ?? `Post number ${sequence}`;
  const selftext = overrides.selftext ?? '';
  const permalink = `/r/Python/comments/${id}/post/`;
  return {
    id,
    name: `t3_${id}`,
    author: 'alice',
    title,
    selftext,
    score: ups - downs,
    ups,
    downs,
    num_comments: 0,
    created_utc: 1_400_000_000 + sequence,
    edited: false,
    is_self: true,
    over_18: false,
    domain: 'self.Python',
    permalink,
    url: `https://www.reddit.com${permalink}`,
    ...derivePostFields({ title, selftext, ups, downs, manual_tags: overrides.manual_tags }, defaultVocabulary),
    ...overrides,
  } as PostDocument;
}

/** Stores posts as the monolith does: keyed by id, indexed and counted. */
export async function insertPosts(db: Db, posts: PostDocument[]): Promise<void> {
  if (posts.length === 0) return;
  await db.collection<KeyedPostDocument>(POSTS_COLLECTION).insertMany(posts.map(keyedPost));
  await new PostCatalog(db).added(posts);
}

/** Removes every post with its index entries and totals. */
export async function removeAllPosts(db: Db): Promise<void> {
  await db.collection<KeyedPostDocument>(POSTS_COLLECTION).deleteMany({});
  await new PostCatalog(db).clear();
}
