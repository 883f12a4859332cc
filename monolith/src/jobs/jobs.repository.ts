import { Injectable, OnModuleInit } from '@nestjs/common';
import { Collection, Db } from 'mongodb';
import { InjectDb, ensureIndexes } from '@app/data';
import { JOBS_COLLECTION, JOB_INDEXES, JobCounts, JobDocument, KeyedJobDocument } from './job.document';

const JOB_FIELDS = { _id: 0 } as const;

/** Every transition is conditional on the current status, so two processes never both move a job. */
@Injectable()
export class JobsRepository implements OnModuleInit {
  private readonly jobs: Collection<KeyedJobDocument>;

  constructor(@InjectDb() db: Db) {
    this.jobs = db.collection<KeyedJobDocument>(JOBS_COLLECTION);
  }

  async onModuleInit(): Promise<void> {
    await ensureIndexes(this.jobs, JOB_INDEXES);
  }

  async insert(job: JobDocument): Promise<void> {
    await this.jobs.insertOne({ _id: job.id, ...job });
  }

  findById(id: string): Promise<JobDocument | null> {
    return this.jobs.findOne({ _id: id }, { projection: JOB_FIELDS });
  }

  findQueued(): Promise<JobDocument[]> {
    return this.jobs.find({ status: 'queued' }, { projection: JOB_FIELDS }).sort({ createdAt: 1 }).toArray();
  }

  /** Moves a queued job to running; false when it was not queued (another process took it). */
  async claim(id: string, startedAt: string): Promise<boolean> {
    const { modifiedCount } = await this.jobs.updateOne(
      { _id: id, status: 'queued' },
      { $set: { status: 'running', startedAt } },
    );
    return modifiedCount === 1;
  }

  async recordProgress(id: string, progress: JobCounts): Promise<void> {
    await this.jobs.updateOne({ _id: id, status: 'running' }, { $set: { progress } });
  }

  async finish(id: string, progress: JobCounts, finishedAt: string): Promise<void> {
    await this.jobs.updateOne({ _id: id, status: 'running' }, { $set: { status: 'done', progress, finishedAt } });
  }

  async fail(id: string, error: string, finishedAt: string): Promise<void> {
    await this.jobs.updateOne({ _id: id, status: 'running' }, { $set: { status: 'failed', error, finishedAt } });
  }

  /** Fails every running job; returns how many there were. */
  async failAllRunning(error: string, finishedAt: string): Promise<number> {
    const { modifiedCount } = await this.jobs.updateMany(
      { status: 'running' },
      { $set: { status: 'failed', error, finishedAt } },
    );
    return modifiedCount;
  }
}
