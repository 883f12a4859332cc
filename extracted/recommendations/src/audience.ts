import type { Preferences } from '@app/contracts';
import type { Personalisation } from '@app/domain';

const NOTHING_HIDDEN: ReadonlySet<string> = new Set();
// Rough V8 sizes, for the size gauge (see the search index).
const ENTRY_BYTES = 64;
const STRING_BYTES = 16;

/**
 * What personalising needs to know of every user, held in memory so that a
 * personalised list reads nothing from the store: the posts each user hid
 * and each user's preferred and hidden tags.
 */
export class Audience {
  private readonly hidden = new Map<string, Set<string>>();
  private readonly preferences = new Map<string, Preferences>();
  private hideCount = 0;

  /** Hides and preferences held. */
  get size(): number {
    return this.hideCount + this.preferences.size;
  }

  /** Replaces the contents at once, e.g. from the service's store at start. */
  load(hides: Iterable<{ user: string; post_id: string }>, preferences: Iterable<Preferences>): void {
    this.clear();
    for (const { user, post_id } of hides) this.hide(user, post_id);
    for (const one of preferences) this.prefer(one);
  }

  hide(user: string, postId: string): void {
    let posts = this.hidden.get(user);
    if (!posts) {
      posts = new Set();
      this.hidden.set(user, posts);
    }
    if (posts.has(postId)) return;
    posts.add(postId);
    this.hideCount += 1;
  }

  prefer({ user, tags, hiddenTags }: Preferences): void {
    this.preferences.set(user, { user, tags, hiddenTags });
  }

  of(user: string): Personalisation {
    const preferences = this.preferences.get(user);
    return {
      hiddenPostIds: this.hidden.get(user) ?? NOTHING_HIDDEN,
      preferredTags: preferences?.tags ?? [],
      hiddenTags: preferences?.hiddenTags ?? [],
    };
  }

  clear(): void {
    this.hidden.clear();
    this.preferences.clear();
    this.hideCount = 0;
  }

  /** Approximate heap bytes, counted when asked (a scrape), not kept up on every event. */
  bytes(): number {
    let bytes = 0;
    for (const [user, posts] of this.hidden) {
      bytes += ENTRY_BYTES + STRING_BYTES + user.length;
      for (const post of posts) bytes += STRING_BYTES + post.length + 16;
    }
    for (const { user, tags, hiddenTags } of this.preferences.values()) {
      bytes += ENTRY_BYTES + STRING_BYTES + user.length;
      for (const tag of [...tags, ...hiddenTags]) bytes += STRING_BYTES + tag.length + 8;
    }
    return bytes;
  }
}
