import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RoutesFile } from './routes-file';
import type { RouteChange } from './transitions';

describe('RoutesFile.edit', () => {
  const committed = readFileSync(join(__dirname, '..', '..', 'routes.yaml'), 'utf8');
  const toMonolith = (route: string): RouteChange => ({ route, target: 'monolith', mode: 'live' });

  it('changes only the edited route, and its undo gives back the committed file byte for byte', () => {
    const canary = RoutesFile.edit(committed, [
      { route: 'search', target: 'monolith', mode: 'canary', candidate: 'search', weight: 25 },
    ]);
    expect(canary).toMatch(/- name: search\n(.*\n)*? {4}mode: canary\n {4}candidate: search\n {4}weight: 25\n/);
    const live = RoutesFile.edit(canary, [{ route: 'search', target: 'search', mode: 'live' }]);
    expect(live).not.toContain('candidate:');
    expect(RoutesFile.edit(live, [toMonolith('search')])).toBe(committed);
  });

  it('leaves the committed file as it is when every route is reset to the monolith', () => {
    expect(RoutesFile.edit(committed, ['search', 'recommendations', 'tags', 'engagement'].map(toMonolith))).toBe(
      committed,
    );
  });
});
