import { MongoServerError } from 'mongodb';

const DUPLICATE_KEY = 11000;

export function isDuplicateKeyError(error: unknown): boolean {
  return error instanceof MongoServerError && error.code === DUPLICATE_KEY;
}

/** Whether one write of a bulk command was refused for a duplicate key. */
export function isDuplicateKeyWrite(writeError: { code: number }): boolean {
  return writeError.code === DUPLICATE_KEY;
}

/**
 * Runs a write guarded by a unique index; a duplicate key means the same
 * write was done before, so it answers false instead of failing.
 */
export async function unlessDuplicateKey(write: () => Promise<boolean>): Promise<boolean> {
  try {
    return await write();
  } catch (error) {
    if (isDuplicateKeyError(error)) return false;
    throw error;
  }
}

/** Whether an update changed or created a document. */
export function changedAny(result: { modifiedCount: number; upsertedCount: number }): boolean {
  return result.modifiedCount + result.upsertedCount > 0;
}
