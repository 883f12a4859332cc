import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Expectation } from './check-kit';

/** The last check of one step. */
export interface StepProgress {
  done: boolean;
  checkedAt: string;
  /** Names of the expectations that failed. */
  failing: string[];
}

/** Saved by `check` in the data folder (git-ignored), read by `status`. */
export interface Progress {
  steps: Record<string, StepProgress>;
}

export class ProgressFile {
  readonly path: string;

  constructor(dataDir: string) {
    this.path = join(dataDir, 'workshop-progress.json');
  }

  read(): Progress {
    try {
      const progress = JSON.parse(readFileSync(this.path, 'utf8')) as Progress;
      return { steps: progress.steps ?? {} };
    } catch {
      return { steps: {} };
    }
  }

  record(stepId: string, expectations: readonly Expectation[], at = new Date()): StepProgress {
    const progress = this.read();
    const failing = expectations.filter((e) => !e.pass).map((e) => e.name);
    const entry = { done: failing.length === 0, checkedAt: at.toISOString(), failing };
    progress.steps[stepId] = entry;
    mkdirSync(dirname(this.path), { recursive: true });
    writeFileSync(this.path, `${JSON.stringify(progress, null, 2)}\n`);
    return entry;
  }

  clear(): void {
    rmSync(this.path, { force: true });
  }
}
