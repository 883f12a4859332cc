import { open } from 'node:fs/promises';
import { defaultVocabulary } from '@app/domain';
import { dumpStream } from '../generator/generate-posts';
import { ImportSummary, PostImporter } from './post-importer';
import { openPostsStore } from './posts-import.repository';
import { readRecords } from './record-reader';

export const DEFAULT_DB = 'reddit';
export const DEFAULT_BATCH_SIZE = 1000;
const KEPT_REJECTS = 100;
export const DEMO_SEED = 42;

export interface ImportOptions {
  mongoUrl: string;
  /** Database holding the `posts` collection; `reddit` unless given. */
  dbName?: string;
  /** Empty the collection before importing. */
  drop?: boolean;
  batchSize?: number;
  /** Called after each written batch with the counts so far. */
  onProgress?: (summary: ImportSummary) => void;
}

/**
 * Imports a dump (one document per line, or a JSON array) from a stream of
 * text, reading it only as fast as the store takes the posts.
 */
export async function importStream(
  input: AsyncIterable<string | Buffer>,
  options: ImportOptions,
): Promise<ImportSummary> {
  const store = await openPostsStore(options.mongoUrl, options.dbName ?? DEFAULT_DB);
  try {
    await store.posts.prepare({ drop: options.drop ?? false });
    const importer = new PostImporter(store.posts, {
      vocabulary: defaultVocabulary,
      batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE,
      keptRejects: KEPT_REJECTS,
      onProgress: options.onProgress,
    });
    return await importer.run(readRecords(input));
  } finally {
    await store.close();
  }
}

/** Imports a dump file; a file that cannot be read fails before the store is touched. */
export async function importFile(file: string, options: ImportOptions): Promise<ImportSummary> {
  const handle = await open(file, 'r');
  if ((await handle.stat()).isDirectory()) {
    await handle.close();
    throw new Error(`${file} is a directory, not a dump file`);
  }
  const stream = handle.createReadStream({ encoding: 'utf8' });
  try {
    return await importStream(stream, options);
  } finally {
    stream.destroy();
  }
}

export async function countPosts(mongoUrl: string, dbName = DEFAULT_DB): Promise<number> {
  const store = await openPostsStore(mongoUrl, dbName);
  try {
    return await store.posts.count();
  } finally {
    await store.close();
  }
}

/** Imports `count` generated posts (the demo data of `npm start`) straight from the generator. */
export function seedDemoPosts(
  mongoUrl: string,
  dbName = DEFAULT_DB,
  count = 10_000,
  seed = DEMO_SEED,
): Promise<ImportSummary> {
  return importStream(dumpStream({ count, seed }), { mongoUrl, dbName });
}
