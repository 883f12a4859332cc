/** A post as the public API returns it (the dump's keys plus derived ones). */
export interface Post {
  id: string;
  name: string;
  author: string;
  title: string;
  selftext: string;
  score: number;
  ups: number;
  downs: number;
  upsanddowns: number;
  num_comments: number;
  created_utc: number;
  edited: false | number;
  is_self: boolean;
  over_18: boolean;
  domain: string;
  permalink: string;
  url: string;
  tags: string[];
  [key: string]: unknown;
}

export interface SearchHit {
  id: string;
  title: string;
  score: number;
  num_comments: number;
  permalink: string;
}

export interface SearchResult {
  query: string;
  items: SearchHit[];
  total: number;
  page: number;
  limit: number;
}

export interface Recommendation {
  id: string;
  title: string;
  score: number;
  ups: number;
  downs: number;
  num_comments: number;
  upsanddowns: number;
}

export interface TagCount {
  tag: string;
  count: number;
}

export interface PostStats {
  likes: number;
  shares: number;
  hides: number;
}

export const ENGAGEMENT_KINDS = ['like', 'share', 'hide'] as const;
export type EngagementKind = (typeof ENGAGEMENT_KINDS)[number];
