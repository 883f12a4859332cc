import { SearchHit } from '@app/contracts';
import { TopK, compareIds, splitWords } from '@app/domain';

/** One page of a query's matches in search order, and how many match in all. */
export interface SearchPage {
  hits: SearchHit[];
  total: number;
}

// Rough V8 sizes, for the size gauge: an object header and a pointer per
// field; a string's header plus one byte per (ASCII) character; a posting and
// the per-post numbers in typed arrays.
const OBJECT_BYTES = 64;
const STRING_BYTES = 16;
const POSTING_BYTES = 8;
const SLOT_BYTES = 8 + 8 + 4;

function distinctWords(title: string): string[] {
  return [...new Set(splitWords(title))];
}

function hitBytes(hit: SearchHit, wordCount: number): number {
  return (
    OBJECT_BYTES +
    3 * STRING_BYTES +
    hit.id.length +
    hit.title.length +
    hit.permalink.length +
    SLOT_BYTES +
    wordCount * POSTING_BYTES
  );
}

/**
 * In-memory inverted index over titles, by the shared rule: the same word
 * split, every query word a prefix of some title word. Title words are kept
 * sorted, so a query word is a range of them. A query intersects its words'
 * postings by stamping each post in a typed array, pass after pass, counts
 * the posts that survive the last pass and keeps the best `skip + limit` of
 * them in a bounded heap that ranks by numbers held in typed arrays: no list
 * of matches is built and only a page is sorted. Everything a query touches
 * per post is a number in a compact array, not an object.
 */
export class SearchIndex {
  /** Posts by slot; a slot is a post's small-integer handle in the postings. */
  private readonly hits: SearchHit[] = [];
  private readonly slots = new Map<string, number>();
  private readonly postings = new Map<string, number[]>();
  /** Every title word in postings, ascending. */
  private terms: string[] = [];
  /** By slot: what search order ranks by before the id. */
  private scores = new Float64Array(1024);
  private comments = new Float64Array(1024);
  /** By slot: the last query pass that kept the post. */
  private seen = new Uint32Array(1024);
  private pass = 0;
  private byteCount = 0;

  get size(): number {
    return this.slots.size;
  }

  /** Approximate heap bytes held by the index. */
  get bytes(): number {
    return this.byteCount;
  }

  /** Replaces the contents at once (e.g. from the store at start): words are sorted once, not per post. */
  load(hits: Iterable<SearchHit>): void {
    this.clear();
    for (const hit of hits) this.put(hit, false);
    this.terms = [...this.postings.keys()].sort();
  }

  /** Adds a post, or replaces one with the same id (re-indexing its title only when it changed). */
  upsert(hit: SearchHit): void {
    this.put(hit, true);
  }

  clear(): void {
    this.hits.length = 0;
    this.slots.clear();
    this.postings.clear();
    this.terms = [];
    this.byteCount = 0;
  }

  /** The matches of `words` (each a prefix of some title word) from `skip`, at most `limit`, and their count. */
  query(words: readonly string[], skip: number, limit: number): SearchPage {
    const passes = words
      .map((word) => {
        const lists: number[][] = [];
        let size = 0;
        const [from, to] = this.termRange(word);
        for (let t = from; t < to; t++) {
          const slots = this.postings.get(this.terms[t]) as number[];
          lists.push(slots);
          size += slots.length;
        }
        return { lists, size };
      })
      // Rarest first: a pass that keeps nothing ends the query.
      .sort((a, b) => a.size - b.size);
    const top = new TopK<number>(skip + limit, this.compareSlots);
    let total = 0;
    let previous = this.startQuery(passes.length);
    for (const [n, { lists }] of passes.entries()) {
      const pass = previous + 1;
      const first = n === 0;
      const last = n === passes.length - 1;
      const seen = this.seen;
      let kept = 0;
      for (const slots of lists) {
        for (const slot of slots) {
          // First pass: each post once (it may carry several words of the prefix); later passes: posts the previous one kept.
          if (first ? seen[slot] === pass : seen[slot] !== previous) continue;
          seen[slot] = pass;
          kept += 1;
          if (last) top.offer(slot);
        }
      }
      if (last) total = kept;
      if (kept === 0) break;
      previous = pass;
    }
    this.pass = previous + 1;
    return {
      hits: top
        .sorted()
        .slice(skip)
        .map((slot) => this.hits[slot]),
      total,
    };
  }

  /** Search order (score desc, num_comments desc, id asc) between two slots. */
  private readonly compareSlots = (a: number, b: number): number =>
    this.scores[b] - this.scores[a] ||
    this.comments[b] - this.comments[a] ||
    compareIds(this.hits[a].id, this.hits[b].id);

  private put(hit: SearchHit, keepTermsSorted: boolean): void {
    let slot = this.slots.get(hit.id);
    if (slot === undefined) {
      slot = this.hits.length;
      this.growTo(slot + 1);
      const words = distinctWords(hit.title);
      this.slots.set(hit.id, slot);
      this.hits.push(hit);
      for (const word of words) this.post(word, slot, keepTermsSorted);
      this.byteCount += hitBytes(hit, words.length);
    } else {
      const previous = this.hits[slot];
      const previousWords = distinctWords(previous.title);
      let words = previousWords;
      if (previous.title !== hit.title) {
        words = distinctWords(hit.title);
        for (const word of previousWords) if (!words.includes(word)) this.unpost(word, slot);
        for (const word of words) if (!previousWords.includes(word)) this.post(word, slot, keepTermsSorted);
      }
      this.hits[slot] = hit;
      this.byteCount += hitBytes(hit, words.length) - hitBytes(previous, previousWords.length);
    }
    this.scores[slot] = hit.score;
    this.comments[slot] = hit.num_comments;
  }

  /** The stamp the first pass of a query compares with; stamps restart before they could overflow. */
  private startQuery(passes: number): number {
    if (this.pass + passes + 1 >= 0xffffffff) {
      this.seen.fill(0);
      this.pass = 0;
    }
    return this.pass;
  }

  private growTo(slots: number): void {
    if (slots <= this.seen.length) return;
    const capacity = Math.max(slots, this.seen.length * 2);
    const grow = <A extends Float64Array | Uint32Array>(array: A, make: (n: number) => A): A => {
      const grown = make(capacity);
      grown.set(array);
      return grown;
    };
    this.scores = grow(this.scores, (n) => new Float64Array(n));
    this.comments = grow(this.comments, (n) => new Float64Array(n));
    this.seen = grow(this.seen, (n) => new Uint32Array(n));
  }

  /** Indexes [from, to) in `terms` of the words starting with `prefix`. */
  private termRange(prefix: string): [number, number] {
    const from = this.firstAtOrAfter(prefix);
    let to = from;
    while (to < this.terms.length && this.terms[to].startsWith(prefix)) to++;
    return [from, to];
  }

  private firstAtOrAfter(term: string): number {
    let low = 0;
    let high = this.terms.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.terms[middle] < term) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  private post(word: string, slot: number, keepTermsSorted: boolean): void {
    const slots = this.postings.get(word);
    if (slots) {
      slots.push(slot);
      return;
    }
    this.postings.set(word, [slot]);
    if (keepTermsSorted) this.terms.splice(this.firstAtOrAfter(word), 0, word);
  }

  private unpost(word: string, slot: number): void {
    const slots = this.postings.get(word) as number[];
    const at = slots.indexOf(slot);
    slots[at] = slots[slots.length - 1];
    slots.pop();
    if (slots.length > 0) return;
    this.postings.delete(word);
    this.terms.splice(this.firstAtOrAfter(word), 1);
  }
}
