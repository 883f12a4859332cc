import { EngagementDto } from './engagement';
import { PATTERNS } from './patterns';
import { PreferencesDto } from './preferences';
import { ReplaceTagsDto } from './tags';

export type BridgedService = keyof typeof PATTERNS;

export interface HttpRequestParts {
  params: Record<string, string>;
  query: Record<string, string>;
  body: Record<string, unknown>;
}

/** How one HTTP endpoint of the public API is served by a service's message pattern. */
export interface BridgeEntry {
  service: BridgedService;
  method: 'GET' | 'PUT' | 'POST';
  /** Express-style path pattern, the same one the monolith serves. */
  path: string;
  pattern: string;
  /** The DTO the monolith validates the body with; the bridge validates with the same one. */
  body?: new () => object;
  /** Status of a successful answer (the monolith's). */
  status: number;
  /** The message: path params win over query and body fields of the same name. */
  payload: (request: HttpRequestParts) => Record<string, unknown>;
}

const queryAndParams = ({ query, params }: HttpRequestParts) => ({ ...query, ...params });
const bodyAndParams = ({ body, params }: HttpRequestParts) => ({ ...body, ...params });
const paramsOnly = ({ params }: HttpRequestParts) => ({ ...params });
const engagement =
  (kind: 'like' | 'share' | 'hide') =>
  ({ body, params }: HttpRequestParts) => ({ ...body, post_id: params.id, kind });

/** Every public endpoint an extracted service can take over, as the gateway's rpc targets serve it. */
export const HTTP_BRIDGE: readonly BridgeEntry[] = [
  {
    service: 'search',
    method: 'GET',
    path: '/search',
    pattern: PATTERNS.search.query,
    status: 200,
    payload: queryAndParams,
  },
  {
    service: 'recommendations',
    method: 'GET',
    path: '/recommendations',
    pattern: PATTERNS.recommendations.list,
    status: 200,
    payload: queryAndParams,
  },
  {
    service: 'recommendations',
    method: 'GET',
    path: '/users/:user/recommendations',
    pattern: PATTERNS.recommendations.forUser,
    status: 200,
    payload: queryAndParams,
  },
  {
    service: 'tagging',
    method: 'GET',
    path: '/tags',
    pattern: PATTERNS.tagging.countTags,
    status: 200,
    payload: () => ({}),
  },
  {
    service: 'tagging',
    method: 'GET',
    path: '/tags/:tag/posts',
    pattern: PATTERNS.tagging.postsByTag,
    status: 200,
    payload: queryAndParams,
  },
  {
    service: 'tagging',
    method: 'GET',
    path: '/posts/:id/tags',
    pattern: PATTERNS.tagging.getPostTags,
    status: 200,
    payload: paramsOnly,
  },
  {
    service: 'tagging',
    method: 'PUT',
    path: '/posts/:id/tags',
    pattern: PATTERNS.tagging.replacePostTags,
    status: 200,
    body: ReplaceTagsDto,
    payload: bodyAndParams,
  },
  {
    service: 'tagging',
    method: 'GET',
    path: '/users/:user/preferences',
    pattern: PATTERNS.tagging.getPreferences,
    status: 200,
    payload: paramsOnly,
  },
  {
    service: 'tagging',
    method: 'PUT',
    path: '/users/:user/preferences',
    pattern: PATTERNS.tagging.replacePreferences,
    status: 200,
    body: PreferencesDto,
    payload: bodyAndParams,
  },
  {
    service: 'engagement',
    method: 'POST',
    path: '/posts/:id/likes',
    pattern: PATTERNS.engagement.record,
    status: 202,
    body: EngagementDto,
    payload: engagement('like'),
  },
  {
    service: 'engagement',
    method: 'POST',
    path: '/posts/:id/shares',
    pattern: PATTERNS.engagement.record,
    status: 202,
    body: EngagementDto,
    payload: engagement('share'),
  },
  {
    service: 'engagement',
    method: 'POST',
    path: '/posts/:id/hide',
    pattern: PATTERNS.engagement.record,
    status: 202,
    body: EngagementDto,
    payload: engagement('hide'),
  },
  {
    service: 'engagement',
    method: 'GET',
    path: '/posts/:id/stats',
    pattern: PATTERNS.engagement.stats,
    status: 200,
    payload: paramsOnly,
  },
];
