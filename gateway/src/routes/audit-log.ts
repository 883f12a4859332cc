import { appendFile, readFile } from 'node:fs/promises';
import type { RouteMode, RouteState } from './route-table';

/** Who proved a change: the admin token, write access to the file, or the gateway's own verdicts. */
export type AuditPrincipal = 'admin-token' | 'file' | 'gateway';

/** One change of where a route goes: who made it, when, why, from which target to which. */
export interface AuditEntry {
  at: string;
  /** The name claimed with x-admin-user (default "admin"), "file" for an edit of the file, "gateway" for its verdicts. */
  who: string;
  /** Absent in older entries. */
  principal?: AuditPrincipal;
  route: string;
  /** null: the route was added. */
  from: string | null;
  /** null: the route was removed. */
  to: string | null;
  mode: RouteMode | null;
  /** The route's state after the change (absent in older entries, null when removed). */
  state?: RouteState | null;
  candidate?: string | null;
  weight?: number;
  /** The reason given with the change, or the verdict that made it; null when none was given. */
  why?: string | null;
}

/** How many entries stay in memory for GET /_gateway/audit; the file keeps them all. */
const KEPT_IN_MEMORY = 1_000;

/** Route changes as JSON lines in a file beside routes.yaml, so history and rollbacks survive restarts. */
export class AuditLog {
  private entries: AuditEntry[] = [];
  private readonly lastByRoute = new Map<string, AuditEntry>();

  constructor(readonly path: string) {}

  /** Reads the history written so far; a missing file is an empty history, a damaged line is skipped. */
  async load(): Promise<void> {
    let text = '';
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        this.remember(JSON.parse(line) as AuditEntry);
      } catch {
        continue;
      }
    }
  }

  async append(entries: readonly AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await appendFile(this.path, entries.map((entry) => `${JSON.stringify(entry)}\n`).join(''), 'utf8');
    entries.forEach((entry) => this.remember(entry));
  }

  /** Newest first. */
  recent(limit: number): AuditEntry[] {
    return this.entries.slice(-limit).reverse();
  }

  /** The target a route had before its current one, when the history knows it. */
  previousTarget(route: string, current: string): string | undefined {
    const last = this.lastByRoute.get(route);
    return last && last.to === current && last.from !== null ? last.from : undefined;
  }

  private remember(entry: AuditEntry): void {
    this.entries.push(entry);
    if (this.entries.length > 2 * KEPT_IN_MEMORY) this.entries = this.entries.slice(-KEPT_IN_MEMORY);
    // Only a change of target moves the route somewhere a flip back could return from.
    if (entry.from !== entry.to) this.lastByRoute.set(entry.route, entry);
  }
}
