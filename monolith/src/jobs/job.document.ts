import type { IndexDescription } from 'mongodb';

export const JOBS_COLLECTION = 'jobs';

export const JOB_KINDS = ['retag', 'reindex'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

/** queued -> running -> done | failed; nothing leaves done or failed. */
export type JobStatus = 'queued' | 'running' | 'done' | 'failed';

export interface JobCounts {
  postsScanned: number;
  postsChanged: number;
}

/** A job as stored: the store, not a process's memory, is what every poll reads. */
export interface JobDocument {
  id: string;
  kind: JobKind;
  status: JobStatus;
  /** ISO timestamps. */
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  /** Counts so far while running; the final counts once done. */
  progress: JobCounts;
  /** Why a failed job failed. */
  error?: string;
}

/** A job keyed by its id: every poll is one look-up. */
export type KeyedJobDocument = JobDocument & { _id: string };

export const JOB_INDEXES: IndexDescription[] = [{ key: { status: 1 }, name: 'status' }];
