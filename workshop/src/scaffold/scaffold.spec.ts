import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REGISTRY } from '@app/registry';
import { refusalOf } from './scaffold';
import { namesOf } from './service-template';

describe('scaffold names', () => {
  let root: string;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'scaffold-names-'));
    mkdirSync(join(root, 'extracted', 'left-over'), { recursive: true });
  });

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const refusal = (name: string) => refusalOf(name, { root, registry: REGISTRY });

  it('takes lower-case words joined by hyphens', () => {
    expect(refusal('search-practice')).toBeUndefined();
    expect(refusal('audit2')).toBeUndefined();
  });

  it.each(['Search', 'search_practice', '-search', 'search-', 'search--x', '2fa', '', 'a'.repeat(31), '../x'])(
    'refuses %j as a name',
    (name) => {
      expect(refusal(name)).toMatch(/not a valid service name/);
    },
  );

  it('refuses reserved names, processes of the registry and folders that exist', () => {
    expect(refusal('seed')).toMatch(/reserved/);
    expect(refusal('gateway')).toMatch(/already a process of the registry/);
    expect(refusal('search')).toMatch(/already a process of the registry/);
    expect(refusal('left-over')).toMatch(/extracted\/left-over already exists/);
  });

  it('names the classes, patterns and database after the service', () => {
    expect(namesOf('search-practice', 3106)).toEqual({
      name: 'search-practice',
      pascal: 'SearchPractice',
      patterns: "PATTERNS['search-practice']",
      database: 'search_practice',
      httpPort: 3106,
    });
    expect(namesOf('audit', 3106).patterns).toBe('PATTERNS.audit');
  });
});
