/**
 * A list kept sorted by a total order as entries come, change and go, so
 * that reading its head costs nothing. Entries are identified by `id`.
 */
export class Ranking<T extends { id: string }> {
  private readonly entries: T[] = [];
  private readonly byId = new Map<string, T>();

  constructor(private readonly compare: (a: T, b: T) => number) {}

  /** Every entry, in order. */
  get all(): readonly T[] {
    return this.entries;
  }

  get(id: string): T | undefined {
    return this.byId.get(id);
  }

  first(count: number): T[] {
    return this.entries.slice(0, count);
  }

  /** Replaces the contents at once (a sort, instead of one insertion per entry). */
  load(entries: Iterable<T>): void {
    this.clear();
    for (const entry of entries) this.byId.set(entry.id, entry);
    for (const entry of this.byId.values()) this.entries.push(entry);
    this.entries.sort(this.compare);
  }

  /** Adds an entry, or moves an entry with the same id to where its new values rank. */
  upsert(entry: T): void {
    this.remove(entry.id);
    this.entries.splice(this.positionOf(entry), 0, entry);
    this.byId.set(entry.id, entry);
  }

  remove(id: string): void {
    const current = this.byId.get(id);
    if (!current) return;
    this.entries.splice(this.positionOf(current), 1);
    this.byId.delete(id);
  }

  clear(): void {
    this.entries.length = 0;
    this.byId.clear();
  }

  /** Where `entry` is, or would go: the first position not ranked before it. */
  private positionOf(entry: T): number {
    let low = 0;
    let high = this.entries.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.compare(this.entries[middle], entry) < 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
