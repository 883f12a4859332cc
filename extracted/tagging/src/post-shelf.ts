import type { Post } from '@app/contracts';

// Rough V8 sizes, for the size gauge: a map entry, a string header, one byte per (ASCII) character.
const ENTRY_BYTES = 48;
const STRING_BYTES = 16;

/**
 * Every post the service serves, in memory, so that a tag page or a post's
 * tags read nothing from the store. Each post is kept as its JSON text: a
 * compact one-byte string instead of an object per post and per field, and
 * a page parses only its own posts.
 */
export class PostShelf {
  private readonly posts = new Map<string, string>();
  private byteCount = 0;

  get size(): number {
    return this.posts.size;
  }

  /** Approximate heap bytes held. */
  get bytes(): number {
    return this.byteCount;
  }

  get(id: string): Post | undefined {
    const text = this.posts.get(id);
    return text === undefined ? undefined : (JSON.parse(text) as Post);
  }

  /** Writes `fields` over the post's current ones, as the store's `$set` does; a new id starts from nothing. */
  merge(fields: Partial<Post> & { id: string }): Post {
    const post = { ...this.get(fields.id), ...fields } as Post;
    this.put(post);
    return post;
  }

  put(post: Post): void {
    const previous = this.posts.get(post.id);
    if (previous !== undefined) this.byteCount -= ENTRY_BYTES + 2 * STRING_BYTES + post.id.length + previous.length;
    const text = JSON.stringify(post);
    this.posts.set(post.id, text);
    this.byteCount += ENTRY_BYTES + 2 * STRING_BYTES + post.id.length + text.length;
  }

  clear(): void {
    this.posts.clear();
    this.byteCount = 0;
  }
}
