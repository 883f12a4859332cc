import { isDeepStrictEqual } from 'node:util';
import { CheckContext, Expectation, expectation } from '../src/check-kit';

/** The practice service this step has the attendee scaffold and write. */
export const PRACTICE_SERVICE = 'search-practice';

/** The questions the parity check asks both, with a page beyond the first and one without words. */
export const PARITY_QUERIES: Record<string, string>[] = [
  { q: 'python' },
  { q: 'PY', limit: '5' },
  { q: 'py', page: '2', limit: '5' },
  { q: 'django web' },
  { q: 'data sci', limit: '20' },
  { q: 'qqqqzzzz' },
  { q: '?!' },
];

interface Answer {
  status: number;
  body: unknown;
}

function firstDifference(a: unknown, b: unknown, path = ''): string {
  if (isDeepStrictEqual(a, b)) return '';
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return `${path || 'the answer'}: monolith ${JSON.stringify(a)}, yours ${JSON.stringify(b)}`;
  }
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const found = firstDifference(
      (a as Record<string, unknown>)[key],
      (b as Record<string, unknown>)[key],
      `${path}.${key}`,
    );
    if (found) return found;
  }
  return '';
}

async function serviceAnswer(context: CheckContext, query: Record<string, string>): Promise<Answer> {
  try {
    return { status: 200, body: await context.ask(PRACTICE_SERVICE, `${PRACTICE_SERVICE}.posts.query`, query) };
  } catch (error) {
    const { status, message } = error as { status?: number; message: string };
    return { status: status ?? 0, body: { message } };
  }
}

export async function check(context: CheckContext): Promise<Expectation[]> {
  const folder = `extracted/${PRACTICE_SERVICE}`;
  const registered = (context.read('libs/registry/registry.json') ?? '').includes(`"name": "${PRACTICE_SERVICE}"`);
  const health = await context.serviceHealth(PRACTICE_SERVICE);
  const results = [
    expectation(
      `${folder} exists and is in the service registry`,
      context.exists(folder) && registered,
      `npm run scaffold -- ${PRACTICE_SERVICE}`,
    ),
    expectation(
      `${PRACTICE_SERVICE} is running and healthy`,
      health.status === 200,
      'restart npm start (Ctrl+C, then npm start): it starts every service of the registry',
      health.error ?? `status ${health.status}`,
    ),
  ];
  if (!results.every((e) => e.pass)) return results;

  const differences: string[] = [];
  for (const query of PARITY_QUERIES) {
    const monolith = await context.monolith(`/search?${new URLSearchParams(query)}`);
    const expected: Answer =
      monolith.status === 200
        ? { status: 200, body: monolith.body }
        : { status: monolith.status, body: { message: (monolith.body as { message?: string }).message } };
    const yours = await serviceAnswer(context, query);
    const label = `?${new URLSearchParams(query)}`;
    if (yours.status === 501) {
      differences.push(`${label}: 501, the handler is not written yet`);
      break;
    }
    if (yours.status !== expected.status)
      differences.push(`${label}: monolith ${expected.status}, yours ${yours.status}`);
    else if (expected.status === 200 && !isDeepStrictEqual(expected.body, yours.body)) {
      differences.push(`${label}: ${firstDifference(expected.body, yours.body)}`);
    }
  }
  results.push(
    expectation(
      `${PRACTICE_SERVICE} answers like the monolith's GET /search (${PARITY_QUERIES.length} queries)`,
      differences.length === 0,
      differences[0]?.includes('501')
        ? `write SearchPracticeService.query in ${folder}/src/${PRACTICE_SERVICE}.service.ts, then restart npm start; npm run workshop -- hint 06`
        : 'compare the rule in DESIGN.md (every query word a prefix of a title word; score desc, comments desc, id asc), restart npm start, check again; a new service may still be catching up with the event log for a few seconds',
      differences.slice(0, 3).join('; ') || undefined,
    ),
  );
  return results;
}
