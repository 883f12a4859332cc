import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppLogger, LOGGER } from '@app/observability';
import { NotFoundError } from '@app/platform';
import { MaintenanceCounts, MaintenanceOptions, PostsMaintenance } from '../posts/posts-maintenance.service';
import { JobCounts, JobDocument, JobKind, JobStatus } from './job.document';
import { JobsRepository } from './jobs.repository';

/**
 * A job runs only inside the process that claimed it, and the monolith runs as
 * one process per database. So a job still `running` when a monolith boots was
 * left by a process that died (crash, kill -9) and will never finish: it is
 * marked failed with this reason. What it already wrote stays consistent (each
 * post write is guarded and carries its event); a new job of the same kind
 * completes the work.
 */
export const INTERRUPTED_BY_CRASH =
  'interrupted: the process running this job stopped before it finished; start a new job';
export const STOPPED_BY_SHUTDOWN = 'stopped: the monolith shut down while this job ran; start a new job';

export interface JobView {
  id: string;
  kind: JobKind;
  status: JobStatus;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  progress: JobCounts;
  error?: string;
  links: { self: string; result?: string };
}

export interface JobResult extends JobCounts {
  id: string;
  kind: JobKind;
  startedAt: string;
  finishedAt: string;
  links: { job: string };
}

type JobRunner = (options: MaintenanceOptions) => Promise<MaintenanceCounts>;

const jobPath = (id: string) => `/jobs/${id}`;
const resultPath = (id: string) => `/jobs/${id}/result`;
const now = () => new Date().toISOString();

function viewOf(job: JobDocument): JobView {
  const { id, kind, status, createdAt, startedAt, finishedAt, progress, error } = job;
  return {
    id,
    kind,
    status,
    createdAt,
    ...(startedAt && { startedAt }),
    ...(finishedAt && { finishedAt }),
    progress,
    ...(error && { error }),
    links: { self: jobPath(id), ...(status === 'done' && { result: resultPath(id) }) },
  };
}

/** Long work in the background of the monolith, polled through the store ("redirecting" pattern). */
@Injectable()
export class JobsService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly runners: Record<JobKind, JobRunner>;
  private readonly shutdown = new AbortController();
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly jobs: JobsRepository,
    maintenance: PostsMaintenance,
    @Inject(LOGGER) private readonly logger: AppLogger,
  ) {
    this.runners = {
      retag: (options) => maintenance.retag(options),
      reindex: (options) => maintenance.reindex(options),
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    const interrupted = await this.jobs.failAllRunning(INTERRUPTED_BY_CRASH, now());
    if (interrupted > 0) this.logger.warn({ interrupted }, 'marked jobs left running by a stopped process as failed');
    // A job queued just before its process died has not started anywhere: run it here.
    for (const job of await this.jobs.findQueued()) this.start(job);
  }

  /** Stops running jobs between two batches and waits for them, while the store is still connected. */
  async beforeApplicationShutdown(): Promise<void> {
    this.shutdown.abort();
    await Promise.all(this.running);
  }

  async create(kind: JobKind): Promise<JobView> {
    const job: JobDocument = {
      id: randomUUID(),
      kind,
      status: 'queued',
      createdAt: now(),
      progress: { postsScanned: 0, postsChanged: 0 },
    };
    await this.jobs.insert(job);
    this.start(job);
    return viewOf(job);
  }

  async get(id: string): Promise<JobView> {
    const job = await this.jobs.findById(id);
    if (!job) throw new NotFoundError(`job ${id} not found`);
    return viewOf(job);
  }

  async result(id: string): Promise<JobResult> {
    const job = await this.jobs.findById(id);
    if (!job) throw new NotFoundError(`job ${id} not found`);
    if (job.status !== 'done') throw new NotFoundError(`job ${id} has no result: it is ${job.status}`);
    return {
      id,
      kind: job.kind,
      ...job.progress,
      startedAt: job.startedAt as string,
      finishedAt: job.finishedAt as string,
      links: { job: jobPath(id) },
    };
  }

  private start(job: JobDocument): void {
    const run = this.run(job).finally(() => this.running.delete(run));
    this.running.add(run);
  }

  /** Never rejects: every failure ends up in the job document and the log. */
  private async run({ id, kind }: JobDocument): Promise<void> {
    const { signal } = this.shutdown;
    try {
      if (signal.aborted || !(await this.jobs.claim(id, now()))) return;
      this.logger.info({ job: id, kind }, 'job started');
      const counts = await this.runners[kind]({
        signal,
        onProgress: (progress) => this.jobs.recordProgress(id, progress),
      });
      await this.jobs.finish(id, counts, now());
      this.logger.info({ job: id, kind, ...counts }, 'job done');
    } catch (error) {
      const reason = signal.aborted ? STOPPED_BY_SHUTDOWN : `failed: ${(error as Error).message}`;
      this.logger.error({ job: id, kind, err: error }, 'job failed');
      await this.jobs.fail(id, reason, now()).catch((failError: unknown) => {
        this.logger.error({ job: id, err: failError }, 'could not record the failure of a job');
      });
    }
  }
}
