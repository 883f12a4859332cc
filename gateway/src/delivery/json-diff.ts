/** The path a difference is reported under when the answers' statuses differ. */
export const STATUS_PATH = '(status)';
/** The path a difference is reported under when a body is not JSON and the bodies differ. */
export const BODY_PATH = '(body)';

/** Paths of every leaf, array positions folded into `[]`, so `items[3].score` and `items[7].score` count as one field. */
function collect(value: unknown, path: string, into: Map<string, unknown[]>): void {
  if (Array.isArray(value)) {
    if (value.length === 0) push(into, `${path}[]`, '[]');
    value.forEach((item) => collect(item, `${path}[]`, into));
  } else if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value);
    if (keys.length === 0) push(into, path, '{}');
    for (const key of keys) collect((value as Record<string, unknown>)[key], path ? `${path}.${key}` : key, into);
  } else push(into, path || '$', value);
}

function push(into: Map<string, unknown[]>, path: string, value: unknown): void {
  const values = into.get(path);
  if (values) values.push(value);
  else into.set(path, [value]);
}

function parse(body: string): { json: true; value: unknown } | { json: false } {
  try {
    return { json: true, value: JSON.parse(body) };
  } catch {
    return { json: false };
  }
}

export interface Answer {
  status: number;
  body: string;
}

/**
 * The fields in which two answers differ, as JSON paths with array positions
 * folded (`items[].score`): a field differs when its values, in order, are
 * not the same in both. Status and non-JSON bodies have paths of their own.
 */
export function differingPaths(a: Answer, b: Answer): string[] {
  const paths: string[] = [];
  if (a.status !== b.status) paths.push(STATUS_PATH);
  if (a.body === b.body) return paths;
  const left = parse(a.body);
  const right = parse(b.body);
  if (!left.json || !right.json) {
    paths.push(BODY_PATH);
    return paths;
  }
  const leftLeaves = new Map<string, unknown[]>();
  const rightLeaves = new Map<string, unknown[]>();
  collect(left.value, '', leftLeaves);
  collect(right.value, '', rightLeaves);
  for (const [path, values] of leftLeaves) {
    const other = rightLeaves.get(path);
    if (!other || other.length !== values.length || other.some((v, i) => v !== values[i])) paths.push(path);
  }
  for (const path of rightLeaves.keys()) if (!leftLeaves.has(path)) paths.push(path);
  return paths;
}
