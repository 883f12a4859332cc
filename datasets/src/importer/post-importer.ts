import { EVENTS } from '@app/contracts';
import { TagVocabulary } from '@app/domain';
import { ExtendedJsonError, parseExtendedJson } from './extended-json';
import { NormalisedPost, normalisePost } from './normalise-post';
import { PostsImportRepository, StoredPost } from './posts-import.repository';
import { SourceRecord } from './record-reader';
import {
  ImportedFields,
  NewPostDocument,
  exceedsDocumentLimit,
  importedFields,
  newPostDocument,
  wouldChange,
  importEvent,
} from './stored-post';

export interface LineReject {
  line: number;
  reason: string;
}

/** Every document read is counted once: inserted + updated + unchanged + rejected = documents. */
export interface ImportSummary {
  documents: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  /** The first rejects, in file order (all counted in `rejected`). */
  rejects: LineReject[];
}

export interface PostImporterOptions {
  vocabulary: TagVocabulary;
  /** Posts written per round of store commands; bounds memory. */
  batchSize: number;
  /** How many rejects `rejects` lists. */
  keptRejects: number;
  /** Called after each batch is written. */
  onProgress?: (summary: ImportSummary) => void;
}

type Outcome = 'inserted' | 'updated' | 'unchanged';

interface Entry {
  line: number;
  post: NormalisedPost;
}

/** What writing one batch learns about its posts, by id. */
interface BatchState {
  /** Each post as stored, kept current as later lines of the batch change it. */
  stored: Map<string, StoredPost | NewPostDocument>;
  /** Lines inserted as new posts. */
  inserted: Set<Entry>;
  /** The tags of each changed post as written before this batch's updates. */
  tagsBefore: Map<string, string[]>;
  /** The last fields to write for a changed post, and the line of its first change. */
  changes: Map<string, { fields: ImportedFields; fromLine: number }>;
  /** Why a post could not be written; lines of it from `fromLine` on are rejected. */
  failures: Map<string, { reason: string; fromLine: number }>;
}

const MAX_REASON_CHARS = 200;

/**
 * Records shorter than this always fit the store's document limit: the
 * derived title words cost at most about 8 bytes of BSON per character.
 */
const SIZE_CHECK_CHARS = 1024 * 1024;

function parse(text: string): { value: unknown } | { reason: string } {
  try {
    return { value: parseExtendedJson(text) };
  } catch (error) {
    if (error instanceof SyntaxError) return { reason: `not valid JSON: ${error.message}` };
    if (error instanceof ExtendedJsonError) return { reason: error.message };
    throw error;
  }
}

function groupById(batch: readonly Entry[]): Map<string, Entry[]> {
  const groups = new Map<string, Entry[]>();
  for (const entry of batch) {
    const group = groups.get(entry.post.id);
    if (group) group.push(entry);
    else groups.set(entry.post.id, [entry]);
  }
  return groups;
}

/**
 * Imports posts batch by batch. Each batch is inserted as new posts; those the
 * store already holds (the unique index on `id` refuses them, or they were
 * read first) are compared field by field with the stored ones and updated
 * only when the file changes them, so a re-import writes nothing.
 * Manual tags belong to the monolith once a post is stored: they are never
 * overwritten and stay part of `tags`.
 */
export class PostImporter {
  /**
   * Whether to read a batch's stored posts before inserting: set once a batch
   * found most of its posts stored (a re-import), sparing the store a failed
   * insert per post; a first import only inserts.
   */
  private lookUpFirst = false;
  private readonly summary: ImportSummary = {
    documents: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    rejected: 0,
    rejects: [],
  };

  constructor(
    private readonly posts: PostsImportRepository,
    private readonly options: PostImporterOptions,
  ) {}

  async run(records: AsyncIterable<SourceRecord>): Promise<ImportSummary> {
    let batch: Entry[] = [];
    for await (const record of records) {
      this.summary.documents++;
      if ('problem' in record) {
        this.reject(record.line, record.problem);
        continue;
      }
      const parsed = parse(record.text);
      const normalised = 'value' in parsed ? normalisePost(parsed.value) : parsed;
      if ('reason' in normalised) {
        this.reject(record.line, normalised.reason);
        continue;
      }
      if (
        record.text.length > SIZE_CHECK_CHARS &&
        exceedsDocumentLimit(newPostDocument(normalised.post, this.options.vocabulary))
      ) {
        this.reject(record.line, 'the post would exceed the 16 MiB document limit of the store');
        continue;
      }
      batch.push({ line: record.line, post: normalised.post });
      if (batch.length >= this.options.batchSize) {
        await this.write(batch);
        batch = [];
      }
    }
    await this.write(batch);
    return this.snapshot();
  }

  private snapshot(): ImportSummary {
    return { ...this.summary, rejects: [...this.summary.rejects] };
  }

  private reject(line: number, reason: string): void {
    this.summary.rejected++;
    if (this.summary.rejects.length < this.options.keptRejects) {
      const short = reason.length > MAX_REASON_CHARS ? `${reason.slice(0, MAX_REASON_CHARS - 3)}...` : reason;
      this.summary.rejects.push({ line, reason: short });
    }
  }

  private async write(batch: readonly Entry[]): Promise<void> {
    if (batch.length === 0) return;
    const state = await this.insertNew(batch);
    const outcomes = this.compare(batch, state);
    await this.applyChanges(state);
    for (const entry of batch) {
      const outcome = outcomes.get(entry);
      const failure = state.failures.get(entry.post.id);
      if (failure && outcome !== 'inserted' && entry.line >= failure.fromLine) this.reject(entry.line, failure.reason);
      else if (outcome) this.summary[outcome]++;
    }
    this.options.onProgress?.(this.snapshot());
  }

  /** Inserts the first line of every id as a new post, then reads back those the store already holds. */
  private async insertNew(batch: readonly Entry[]): Promise<BatchState> {
    const state: BatchState = {
      stored: new Map(),
      inserted: new Set(),
      tagsBefore: new Map(),
      changes: new Map(),
      failures: new Map(),
    };
    const firsts = [...groupById(batch).values()].map(([first]) => first);
    if (this.lookUpFirst) {
      for (const post of await this.posts.findByIds(firsts.map((entry) => entry.post.id)))
        state.stored.set(post.id, post);
    }
    const fresh = firsts.filter((entry) => !state.stored.has(entry.post.id));
    const candidates = fresh.map((entry) => newPostDocument(entry.post, this.options.vocabulary));
    const insertFailures = await this.posts.insert(candidates);
    const duplicates: NewPostDocument[] = [];
    candidates.forEach((document, i) => {
      const failure = insertFailures.get(i);
      if (!failure) {
        state.stored.set(document.id, document);
        state.inserted.add(fresh[i]);
      } else if (failure.duplicate) {
        duplicates.push(document);
      } else {
        state.failures.set(document.id, { reason: failure.message, fromLine: 0 });
      }
    });
    await this.readExisting(duplicates, state);
    this.lookUpFirst = state.stored.size - state.inserted.size > firsts.length / 2;
    return state;
  }

  /** Reads back the posts whose insert hit a duplicate: they were stored before. */
  private async readExisting(duplicates: readonly NewPostDocument[], state: BatchState): Promise<void> {
    if (duplicates.length === 0) return;
    const found = new Map<string, StoredPost>();
    for (const post of await this.posts.findByIds(duplicates.map((document) => document.id))) found.set(post.id, post);
    for (const document of duplicates) {
      const stored = found.get(document.id);
      if (stored) state.stored.set(document.id, stored);
      else
        state.failures.set(document.id, {
          reason: `post ${document.id} was deleted while it was imported`,
          fromLine: 0,
        });
    }
  }

  /** Compares every line not inserted with the post as stored (or as changed by earlier lines). */
  private compare(batch: readonly Entry[], state: BatchState): Map<Entry, Outcome> {
    const outcomes = new Map<Entry, Outcome>();
    for (const entry of batch) {
      const { id } = entry.post;
      const stored = state.stored.get(id);
      if (!stored || state.failures.has(id)) continue;
      if (state.inserted.has(entry)) {
        outcomes.set(entry, 'inserted');
        continue;
      }
      const fields = importedFields(entry.post, stored.manual_tags ?? [], this.options.vocabulary);
      if (!wouldChange(stored, fields)) {
        outcomes.set(entry, 'unchanged');
        continue;
      }
      if (!state.tagsBefore.has(id)) state.tagsBefore.set(id, (stored.tags as string[] | undefined) ?? []);
      state.stored.set(id, { ...stored, ...fields });
      state.changes.set(id, { fields, fromLine: state.changes.get(id)?.fromLine ?? entry.line });
      outcomes.set(entry, 'updated');
    }
    return outcomes;
  }

  /** Writes the last version of every changed post; a refused write fails the lines from its first change on. */
  private async applyChanges(state: BatchState): Promise<void> {
    const changes = [...state.changes.values()];
    const updates = changes.map(({ fields }) => {
      const stored = state.stored.get(fields.id) as StoredPost;
      const event = importEvent(EVENTS.postUpdated, fields, stored.manual_tags ?? []);
      return { _id: stored._id, tagsBefore: state.tagsBefore.get(fields.id) ?? [], fields, event };
    });
    const failures = await this.posts.update(updates);
    for (const [index, failure] of failures) {
      state.failures.set(changes[index].fields.id, { reason: failure.message, fromLine: changes[index].fromLine });
    }
  }
}
