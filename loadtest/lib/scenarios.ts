import { Random } from '../../datasets/src/generator/random';
import type { ScenarioName } from './result';

/** Real values drawn from the data under test, so requests hit what users would hit. */
export interface Workload {
  postIds: string[];
  /** Search queries built from words of real titles: one or two word prefixes. */
  terms: string[];
  tags: string[];
  /** Title words, to compose new posts from. */
  words: string[];
}

export interface PreparedRequest {
  path: string;
  body?: string;
}

export interface EndpointSpec {
  /** Method and path template, e.g. `GET /posts/:id`. */
  name: string;
  method: 'GET' | 'POST';
  /** Gateway route serving the endpoint (see gateway/routes.yaml); absent: the default target. */
  route?: string;
  /** Share of the connections the endpoint gets. */
  weight: number;
  build(random: Random, workload: Workload): PreparedRequest;
}

const USERS = 100_000;
const userOf = (random: Random) => `loadtest-${random.int(1, USERS)}`;

export const READS: readonly EndpointSpec[] = [
  {
    name: 'GET /posts',
    method: 'GET',
    weight: 2,
    build: (random) => ({ path: `/posts?page=${random.int(1, 20)}&limit=25` }),
  },
  {
    name: 'GET /posts/:id',
    method: 'GET',
    weight: 3,
    build: (random, w) => ({ path: `/posts/${random.pick(w.postIds)}` }),
  },
  {
    name: 'GET /search',
    method: 'GET',
    route: 'search',
    weight: 3,
    build: (random, w) => ({ path: `/search?q=${encodeURIComponent(random.pick(w.terms))}&limit=10` }),
  },
  {
    name: 'GET /recommendations',
    method: 'GET',
    route: 'recommendations',
    weight: 2,
    build: () => ({ path: '/recommendations?limit=12' }),
  },
  {
    name: 'GET /users/:user/recommendations',
    method: 'GET',
    route: 'recommendations',
    weight: 1,
    build: (random) => ({ path: `/users/${userOf(random)}/recommendations?limit=12` }),
  },
  { name: 'GET /tags', method: 'GET', route: 'tags', weight: 1, build: () => ({ path: '/tags' }) },
  {
    name: 'GET /tags/:tag/posts',
    method: 'GET',
    route: 'tags',
    weight: 1,
    build: (random, w) => ({ path: `/tags/${random.pick(w.tags)}/posts?limit=25` }),
  },
];

export const WRITES: readonly EndpointSpec[] = [
  {
    name: 'POST /posts',
    method: 'POST',
    weight: 1,
    build: (random, w) => {
      const title = `${random.pick(w.words)} ${random.pick(w.words)} ${random.pick(w.words)}: how would you do it?`;
      return {
        path: '/posts',
        body: JSON.stringify({ title, author: userOf(random), selftext: `Asking for ${random.pick(w.words)}.` }),
      };
    },
  },
  ...(['likes', 'shares', 'hide'] as const).map((kind): EndpointSpec => ({
    name: `POST /posts/:id/${kind}`,
    method: 'POST',
    route: 'engagement',
    weight: kind === 'likes' ? 3 : 1,
    build: (random, w) => ({
      path: `/posts/${random.pick(w.postIds)}/${kind}`,
      body: JSON.stringify({ user: userOf(random) }),
    }),
  })),
];

/** Which endpoints each scenario drives; flip drives the mixed traffic while it flips a route. */
export const SCENARIOS: Record<ScenarioName, readonly EndpointSpec[]> = {
  reads: READS,
  writes: WRITES,
  mixed: [...READS, ...WRITES],
  flip: [...READS, ...WRITES],
};

/** The extracted service each gateway route moves to in the `after` stage. */
export const ROUTE_SERVICES: Record<string, string> = {
  search: 'search',
  recommendations: 'recommendations',
  tags: 'tagging',
  engagement: 'engagement',
};

/**
 * Splits `total` connections over the endpoints in proportion to their
 * weights (largest remainder), giving every endpoint at least one, so the
 * result may exceed `total` when there are more endpoints than connections.
 */
export function allocateConnections(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((weight) => (weight / sum) * total);
  const counts = exact.map(Math.floor);
  const order = exact
    .map((value, index) => ({ index, rest: value - Math.floor(value) }))
    .sort((a, b) => b.rest - a.rest || a.index - b.index);
  let left = total - counts.reduce((a, b) => a + b, 0);
  for (const { index } of order) {
    if (left <= 0) break;
    counts[index]++;
    left--;
  }
  return counts.map((count) => Math.max(1, count));
}
