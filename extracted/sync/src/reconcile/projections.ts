import type { Filter, Document } from 'mongodb';

/** One kind of record both sides hold: where each keeps it and which fields must agree. */
export interface Projection {
  name: string;
  /** Fields that identify a record. */
  key: string[];
  /** Fields whose values must be equal on both sides. */
  fields: string[];
  monolith: { collection: string; filter?: Filter<Document> };
  service: { collection: string; filter?: Filter<Document> };
}

const POST_KEY = ['id'];

/** What each service copies from the monolith. */
export const PROJECTIONS: Record<string, Projection[]> = {
  search: [
    {
      name: 'posts',
      key: POST_KEY,
      fields: ['title', 'score', 'num_comments', 'permalink'],
      monolith: { collection: 'posts' },
      service: { collection: 'posts' },
    },
  ],
  recommendations: [
    {
      name: 'posts',
      key: POST_KEY,
      fields: ['title', 'score', 'ups', 'downs', 'num_comments', 'upsanddowns', 'tags'],
      monolith: { collection: 'posts' },
      service: { collection: 'posts' },
    },
    {
      name: 'hides',
      key: ['user', 'post_id'],
      fields: [],
      monolith: { collection: 'engagements', filter: { kind: 'hide' } },
      service: { collection: 'hides' },
    },
    {
      name: 'preferences',
      key: ['user'],
      fields: ['tags', 'hiddenTags'],
      monolith: { collection: 'preferences' },
      service: { collection: 'preferences' },
    },
  ],
  tagging: [
    {
      name: 'posts',
      key: POST_KEY,
      fields: ['title', 'created_utc', 'tags', 'auto_tags', 'manual_tags'],
      monolith: { collection: 'posts' },
      service: { collection: 'posts' },
    },
    {
      name: 'preferences',
      key: ['user'],
      fields: ['tags', 'hiddenTags'],
      monolith: { collection: 'preferences' },
      service: { collection: 'preferences' },
    },
  ],
  engagement: [
    {
      name: 'engagements',
      key: ['post_id', 'user', 'kind'],
      fields: [],
      monolith: { collection: 'engagements' },
      service: { collection: 'engagements' },
    },
  ],
};
