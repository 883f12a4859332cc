import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CheckContext, Expectation } from './check-kit';
import { ROOT } from './running-stack';

/**
 * The steps are discovered from workshop/steps/NN-slug.md and ordered by NN;
 * each has its check in NN-slug.check.ts beside it. Adding a step is adding
 * those two files (a number between two others, e.g. 12a, sorts between them).
 */

export const STEPS_DIR = join(ROOT, 'workshop', 'steps');
/** Where the compiled checks are. */
const COMPILED_STEPS_DIR = join(__dirname, '..', 'steps');

const STEP_FILE = /^(\d{2}[a-z]?)-([a-z0-9-]+)\.md$/;

/**
 * What a step asks the attendee to do, in order, as marked in its Markdown:
 * ```bash step``` runs to completion; ```bash background``` keeps running
 * (npm start), stopping the one started before (as Ctrl+C would);
 * ```text practice``` names the file the attendee writes code in.
 */
export type StepAction =
  { kind: 'run'; script: string } | { kind: 'background'; script: string } | { kind: 'practice'; file: string };

export type StepCheck = (context: CheckContext) => Promise<Expectation[]>;

export interface Step {
  /** `06`. */
  id: string;
  slug: string;
  title: string;
  /** Repository-relative path of the Markdown. */
  file: string;
  markdown: string;
  /** What the "Time" line says, e.g. "15 minutes". */
  time: string;
  actions: StepAction[];
  /** The text of the "If you are stuck" section. */
  hints: string;
  check: StepCheck;
}

const FENCE = /^```(\w+)[ \t]+(step|background|practice)[ \t]*\n([\s\S]*?)^```[ \t]*$/gm;

export function actionsOf(markdown: string): StepAction[] {
  return [...markdown.matchAll(FENCE)].map(([, , kind, body]) => {
    if (kind === 'practice') return { kind: 'practice', file: body.trim() };
    return { kind: kind === 'step' ? 'run' : 'background', script: body.trimEnd() };
  });
}

function section(markdown: string, heading: RegExp): string {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => /^##\s/.test(line) && heading.test(line));
  if (start === -1) return '';
  const end = lines.findIndex((line, index) => index > start && /^##\s/.test(line));
  return lines
    .slice(start + 1, end === -1 ? undefined : end)
    .join('\n')
    .trim();
}

/** Every step, in order. */
export function loadSteps(dir = STEPS_DIR, compiledDir = COMPILED_STEPS_DIR): Step[] {
  return readdirSync(dir)
    .flatMap((file) => {
      const match = STEP_FILE.exec(file);
      return match ? [{ file, id: match[1], slug: match[2] }] : [];
    })
    .sort((a, b) => a.id.localeCompare(b.id))
    .map(({ file, id, slug }) => {
      const markdown = readFileSync(join(dir, file), 'utf8');
      const title = (/^#\s+(.+)$/m.exec(markdown)?.[1].trim() ?? slug).replace(/^\d{2}[a-z]?\s*·\s*/, '');
      const time = /^\*\*Time:\*\*\s*(.+)$/m.exec(markdown)?.[1].trim() ?? '';
      const checkFile = join(compiledDir, file.replace(/\.md$/, '.check.js'));
      if (!existsSync(checkFile)) throw new Error(`step ${id} has no check: ${checkFile} is missing (npm run build)`);
      const { check } = require(checkFile) as { check?: StepCheck };
      if (typeof check !== 'function') throw new Error(`${checkFile} exports no check function`);
      return {
        id,
        slug,
        title,
        file: `workshop/steps/${file}`,
        markdown,
        time,
        actions: actionsOf(markdown),
        hints: section(markdown, /stuck/i),
        check,
      };
    });
}

/** The step `id` names: `6`, `06` or `06-extract-search`. */
export function findStep(steps: readonly Step[], id: string): Step | undefined {
  const wanted = id.replace(/-.*$/, '');
  return steps.find((step) => step.id === wanted || step.id === wanted.padStart(2, '0'));
}
