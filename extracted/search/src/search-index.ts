import { SearchHit } from '@app/contracts';
import { TopK, compareSearchOrder, splitWords } from '@app/domain';

/** One page of a query's matches in search order, and how many match in all. */
export interface SearchPage {
  hits: SearchHit[];
  total: number;
}

// Rough V8 sizes, for the size gauge: an object header and a pointer per
// field; a string's header plus one byte per (ASCII) character.
const OBJECT_BYTES = 64;
const STRING_BYTES = 16;
const POSTING_BYTES = 8;

function hitBytes(hit: SearchHit, words: readonly string[]): number {
  let bytes = OBJECT_BYTES + 3 * STRING_BYTES + hit.id.length + hit.title.length + hit.permalink.length;
  for (const word of words) bytes += STRING_BYTES + word.length + POSTING_BYTES;
  return bytes;
}

/**
 * In-memory inverted index over titles, by the shared rule: the same word
 * split, every query word a prefix of some title word. Title words are kept
 * sorted, so a prefix is a range of them. A query walks the postings of its
 * rarest word only, checks the other words on each candidate's own title
 * words, counts the matches and keeps the best `skip + limit` of them in a
 * bounded heap: no match list is built, nothing but a page is sorted.
 */
export class SearchIndex {
  /** Posts by slot; a slot is a post's small-integer handle in the postings. */
  private readonly hits: SearchHit[] = [];
  /** Distinct title words by slot. */
  private readonly wordsOf: string[][] = [];
  private readonly slots = new Map<string, number>();
  private readonly postings = new Map<string, number[]>();
  /** Every title word in postings, ascending. */
  private terms: string[] = [];
  /** Per slot, the last query pass that saw it: deduplicates a slot met through several words of one prefix. */
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

  private put(hit: SearchHit, keepTermsSorted: boolean): void {
    const slot = this.slots.get(hit.id);
    if (slot === undefined) {
      const added = this.hits.length;
      const words = [...new Set(splitWords(hit.title))];
      this.slots.set(hit.id, added);
      this.hits.push(hit);
      this.wordsOf.push(words);
      for (const word of words) this.post(word, added, keepTermsSorted);
      this.byteCount += hitBytes(hit, words);
      return;
    }
    const previous = this.hits[slot];
    const previousWords = this.wordsOf[slot];
    this.byteCount -= hitBytes(previous, previousWords);
    this.hits[slot] = hit;
    if (previous.title !== hit.title) {
      const words = [...new Set(splitWords(hit.title))];
      for (const word of previousWords) if (!words.includes(word)) this.unpost(word, slot);
      for (const word of words) if (!previousWords.includes(word)) this.post(word, slot, keepTermsSorted);
      this.wordsOf[slot] = words;
    }
    this.byteCount += hitBytes(hit, this.wordsOf[slot]);
  }

  clear(): void {
    this.hits.length = 0;
    this.wordsOf.length = 0;
    this.slots.clear();
    this.postings.clear();
    this.terms = [];
    this.byteCount = 0;
  }

  /** The matches of `words` (each a prefix of some title word) from `skip`, at most `limit`, and their count. */
  query(words: readonly string[], skip: number, limit: number): SearchPage {
    const ranges = words.map((word) => this.termRange(word));
    const sizes = ranges.map(([from, to]) => {
      let size = 0;
      for (let t = from; t < to; t++) size += (this.postings.get(this.terms[t]) as number[]).length;
      return size;
    });
    const driver = sizes.indexOf(Math.min(...sizes));
    const others = words.filter((_, w) => w !== driver);
    const top = new TopK<SearchHit>(skip + limit, compareSearchOrder);
    const pass = this.nextPass();
    let total = 0;
    const [from, to] = ranges[driver];
    for (let t = from; t < to; t++) {
      for (const slot of this.postings.get(this.terms[t]) as number[]) {
        if (this.seen[slot] === pass) continue;
        this.seen[slot] = pass;
        const titleWords = this.wordsOf[slot];
        if (others.every((word) => titleWords.some((titleWord) => titleWord.startsWith(word)))) {
          total += 1;
          top.offer(this.hits[slot]);
        }
      }
    }
    return { hits: top.sorted().slice(skip), total };
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

  private nextPass(): number {
    if (this.seen.length < this.hits.length) {
      const grown = new Uint32Array(Math.max(this.hits.length, this.seen.length * 2));
      grown.set(this.seen);
      this.seen = grown;
    }
    if (this.pass === 0xffffffff) {
      this.seen.fill(0);
      this.pass = 0;
    }
    return ++this.pass;
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
