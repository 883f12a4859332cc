import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { EVENTS, Page, PageQueryDto, Post, domainEvent, pageLinks, skipOf } from '@app/contracts';
import { defaultVocabulary, derivePostFields } from '@app/domain';
import { NotFoundError } from '@app/platform';
import { CreatePostDto } from './dto/create-post.dto';
import { PostDocument } from '@app/posts';
import { PostsRepository } from './posts.repository';

const ID_ATTEMPTS = 5;

function newPostId(): string {
  return BigInt(`0x${randomBytes(6).toString('hex')}`).toString(36);
}

@Injectable()
export class PostsService {
  constructor(private readonly posts: PostsRepository) {}

  async list(query: PageQueryDto): Promise<Page<Post>> {
    const { items, total } = await this.page(query);
    return { items, page: query.page, limit: query.limit, total, links: pageLinks('/posts', query, total) };
  }

  /** One page of posts, newest first, and how many there are in all. */
  page(query: { page: number; limit: number }): Promise<{ items: Post[]; total: number }> {
    return this.posts.page(skipOf(query), query.limit);
  }

  async get(id: string): Promise<Post> {
    const post = await this.posts.findById(id);
    if (!post) throw new NotFoundError(`post ${id} not found`);
    return post;
  }

  async assertExists(id: string): Promise<void> {
    if (!(await this.posts.exists(id))) throw new NotFoundError(`post ${id} not found`);
  }

  async create(input: CreatePostDto): Promise<Post> {
    for (let attempt = 0; attempt < ID_ATTEMPTS; attempt++) {
      const post = this.newPost(newPostId(), input);
      const { title_words: _words, ...payload } = post;
      const event = domainEvent(EVENTS.postCreated, `post:${post.id}`, payload);
      if (await this.posts.insert(post, event)) return this.get(post.id);
    }
    throw new Error(`could not allocate a unique post id in ${ID_ATTEMPTS} attempts`);
  }

  private newPost(id: string, input: CreatePostDto): PostDocument {
    const selftext = input.selftext ?? '';
    const permalink = `/r/Python/comments/${id}/${slug(input.title)}/`;
    const isSelf = !input.url;
    const base = { title: input.title, selftext, ups: 1, downs: 0 };
    return {
      id,
      name: `t3_${id}`,
      author: input.author,
      title: input.title,
      selftext,
      score: 1,
      ups: 1,
      downs: 0,
      num_comments: 0,
      created_utc: Date.now() / 1000,
      edited: false,
      is_self: isSelf,
      over_18: false,
      distinguished: null,
      domain: isSelf ? 'self.Python' : new URL(input.url as string).hostname,
      permalink,
      url: input.url ?? `https://www.reddit.com${permalink}`,
      subreddit_id: 't5_2qh0y',
      thumbnail: isSelf ? 'self' : 'default',
      author_flair_css_class: null,
      link_flair_css_class: null,
      link_flair_text: '',
      ...derivePostFields(base, defaultVocabulary),
    };
  }
}

function slug(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '')
    .slice(0, 50);
}
