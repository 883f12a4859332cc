import { Db } from 'mongodb';
import { defaultVocabulary, derivePostFields } from '@app/domain';
import type { PostDocument } from '../../monolith/src/posts/post.document';

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

export async function insertPosts(db: Db, posts: PostDocument[]): Promise<void> {
  if (posts.length > 0) await db.collection('posts').insertMany(posts.map((post) => ({ ...post })));
}
