import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STEPS_DIR, actionsOf, findStep, loadSteps } from './steps';

describe('workshop steps', () => {
  describe('actionsOf', () => {
    it('reads the marked blocks in order and leaves every other code block alone', () => {
      const markdown = [
        '# 06 · A step',
        '```bash step',
        'npm run scaffold -- x',
        'echo done',
        '```',
        '```bash',
        'not run: an unmarked block',
        '```',
        '```bash background',
        'npm start',
        '```',
        '```text practice',
        'extracted/x/src/x.service.ts',
        '```',
        '```',
        'npm run workshop -- check 06',
        '```',
      ].join('\n');
      expect(actionsOf(markdown)).toEqual([
        { kind: 'run', script: 'npm run scaffold -- x\necho done' },
        { kind: 'background', script: 'npm start' },
        { kind: 'practice', file: 'extracted/x/src/x.service.ts' },
      ]);
    });
  });

  describe('loadSteps', () => {
    let dir: string;
    let compiled: string;

    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'workshop-steps-'));
      compiled = join(dir, 'compiled');
      mkdirSync(compiled);
      for (const id of ['02', '01', '01a']) {
        writeFileSync(
          join(dir, `${id}-step.md`),
          `# ${id} · Step ${id}\n\n**Time:** ${id} minutes\n\n## If you are stuck\n\nTry ${id}.\n\n## After\n\nnot a hint\n`,
        );
        writeFileSync(join(compiled, `${id}-step.check.js`), `exports.check = async () => [];\n`);
      }
      writeFileSync(join(dir, 'README.md'), '# not a step\n');
    });

    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('finds the steps by their file names and orders them by number, a lettered step after its number', () => {
      const steps = loadSteps(dir, compiled);
      expect(steps.map((step) => [step.id, step.title, step.time, step.hints])).toEqual([
        ['01', 'Step 01', '01 minutes', 'Try 01.'],
        ['01a', 'Step 01a', '01a minutes', 'Try 01a.'],
        ['02', 'Step 02', '02 minutes', 'Try 02.'],
      ]);
      expect(findStep(steps, '1')?.id).toBe('01');
      expect(findStep(steps, '01a-step')?.id).toBe('01a');
      expect(findStep(steps, '7')).toBeUndefined();
    });

    it('refuses a step without its check', () => {
      writeFileSync(join(dir, '03-lonely.md'), '# 03 · Lonely\n');
      expect(() => loadSteps(dir, compiled)).toThrow(/step 03 has no check/);
      rmSync(join(dir, '03-lonely.md'));
    });
  });

  it('gives every step of the workshop the parts an attendee needs and commands to run', () => {
    const files = ['00', '01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12', '13', '14'];
    const markdown = files.map((id) => {
      const file = require('node:fs')
        .readdirSync(STEPS_DIR)
        .find((name: string) => name.startsWith(`${id}-`) && name.endsWith('.md'));
      return [id, readFileSync(join(STEPS_DIR, file), 'utf8')] as const;
    });
    for (const [id, text] of markdown) {
      const sections = [
        '## Goal',
        '## Why it matters',
        '## Do it',
        '## What you should see',
        '## Check',
        '## If you are stuck',
      ];
      expect({ id, missing: sections.filter((section) => !text.includes(section)) }).toEqual({ id, missing: [] });
      expect({ id, time: /^\*\*Time:\*\* \d+ minutes$/m.test(text) }).toEqual({ id, time: true });
      expect({ id, commands: actionsOf(text).length > 0 }).toEqual({ id, commands: true });
    }
  });
});
