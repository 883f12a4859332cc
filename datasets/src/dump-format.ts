/** The dump spells booleans the way Python printed them. */
export type PythonBool = 'True' | 'False';

/** One post as the original r/Python dump holds it, keys in the dump's order. */
export interface DumpPost {
  _id: { $oid: string };
  id: string;
  name: string;
  author: string;
  title: string;
  selftext: string;
  score: number;
  ups: number;
  downs: number;
  num_comments: number;
  created_utc: number;
  edited: 'False' | number;
  is_self: PythonBool;
  over_18: PythonBool;
  distinguished: string | null;
  domain: string;
  permalink: string;
  url: string;
  subreddit_id: string;
  thumbnail: string;
  author_flair_css_class: string | null;
  link_flair_css_class: string | null;
  link_flair_text: string;
}

/** Fields holding seconds, which the dump writes as floats even when whole ("1339077397.0"). */
const SECONDS_FIELDS = new Set(['created_utc', 'edited']);

function formatValue(key: string, value: unknown): string {
  if (SECONDS_FIELDS.has(key) && typeof value === 'number') {
    return Number.isInteger(value) ? value.toFixed(1) : String(value);
  }
  if (value !== null && typeof value === 'object') {
    return `{ ${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)} : ${formatValue(k, v)}`)
      .join(', ')} }`;
  }
  return JSON.stringify(value);
}

/** One line of the dump, spaced like mongoexport wrote it, without the newline. */
export function formatDumpLine(post: DumpPost): string {
  return formatValue('', post);
}
