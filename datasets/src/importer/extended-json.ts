import { BSON } from 'mongodb';

/** A value in extended-JSON clothing that cannot be read, with the reason. */
export class ExtendedJsonError extends Error {}

function describe(key: string): string {
  return key === '' ? 'the document' : `"${key}"`;
}

/**
 * What bson's EJSON reads without complaint but no dump should hold: a
 * `$numberInt` that is no number comes out NaN, a `$numberLong` past 2^53
 * loses digits, a `$date` that is no date comes out invalid.
 */
function assertReadable(value: unknown, key: string): void {
  if (typeof value === 'number') {
    if (Number.isNaN(value)) throw new ExtendedJsonError(`${describe(key)}: not a number`);
    if (Number.isInteger(value) && !Number.isSafeInteger(value))
      throw new ExtendedJsonError(`${describe(key)}: an integer beyond ±2^53 loses digits`);
  } else if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new ExtendedJsonError(`${describe(key)}: not a valid date`);
  } else if (Array.isArray(value)) {
    value.forEach((item) => assertReadable(item, key));
  } else if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [field, item] of Object.entries(value)) assertReadable(item, field);
  }
}

/**
 * Parses one document of mongoimport's extended JSON (canonical or relaxed)
 * with bson's EJSON: $oid becomes an ObjectId, $date a Date, the number
 * wrappers numbers. Throws SyntaxError for broken JSON and ExtendedJsonError
 * for wrappers it cannot read.
 */
export function parseExtendedJson(text: string): unknown {
  // Most lines of a dump wrap nothing but `_id`; plain JSON skips EJSON's walk.
  if (!text.includes('"$')) return JSON.parse(text);
  let value: unknown;
  try {
    value = BSON.EJSON.parse(text, { relaxed: true });
  } catch (error) {
    if (error instanceof SyntaxError) throw error;
    throw new ExtendedJsonError(`extended JSON: ${(error as Error).message}`);
  }
  assertReadable(value, '');
  return value;
}
