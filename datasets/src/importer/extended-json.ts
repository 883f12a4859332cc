import { ObjectId } from 'mongodb';

/** A value in extended-JSON clothing that cannot be read, with the reason. */
export class ExtendedJsonError extends Error {}

const INTEGER = /^-?\d+$/;
const DOUBLE = /^(-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?|-?Infinity|NaN)$/;

function describe(key: string): string {
  return key === '' ? 'the document' : `"${key}"`;
}

function numberInt(value: unknown, key: string): number {
  const n = typeof value === 'string' && INTEGER.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < -0x8000_0000 || n > 0x7fff_ffff) {
    throw new ExtendedJsonError(`${describe(key)}: $numberInt must be a 32-bit integer string`);
  }
  return n;
}

function numberLong(value: unknown, key: string): number {
  const n = typeof value === 'string' && INTEGER.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n)) {
    throw new ExtendedJsonError(`${describe(key)}: $numberLong must be an integer string within ±2^53`);
  }
  return n;
}

function numberDouble(value: unknown, key: string): number {
  if (typeof value !== 'string' || !DOUBLE.test(value)) {
    throw new ExtendedJsonError(`${describe(key)}: $numberDouble must be a number string`);
  }
  return Number(value);
}

function objectId(value: unknown, key: string): ObjectId {
  if (typeof value !== 'string' || !/^[0-9a-fA-F]{24}$/.test(value)) {
    throw new ExtendedJsonError(`${describe(key)}: $oid must be 24 hex digits`);
  }
  return new ObjectId(value);
}

/** `$date` holds an ISO string or milliseconds (a number, or `$numberLong` already read). */
function date(value: unknown, key: string): Date {
  const when = typeof value === 'string' || typeof value === 'number' ? new Date(value) : undefined;
  if (!when || Number.isNaN(when.getTime())) {
    throw new ExtendedJsonError(`${describe(key)}: $date must be an ISO date or milliseconds`);
  }
  return when;
}

const READERS: Record<string, (value: unknown, key: string) => unknown> = {
  $oid: objectId,
  $numberInt: numberInt,
  $numberLong: numberLong,
  $numberDouble: numberDouble,
  $date: date,
};

/** JSON.parse reviver: runs innermost first, so `{"$date": {"$numberLong": …}}` sees a number. */
function revive(key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  if (keys.length !== 1 || !keys[0].startsWith('$')) return value;
  const reader = READERS[keys[0]];
  if (!reader) throw new ExtendedJsonError(`${describe(key)}: unsupported extended JSON type ${keys[0]}`);
  return reader((value as Record<string, unknown>)[keys[0]], key);
}

/**
 * Parses one document of mongoimport's extended JSON (canonical or relaxed):
 * $oid becomes an ObjectId, $date a Date, $numberInt/$numberLong/$numberDouble
 * numbers. Throws SyntaxError for broken JSON and ExtendedJsonError for
 * wrappers it cannot read.
 */
export function parseExtendedJson(text: string): unknown {
  // The reviver costs a call per value; most lines of a dump have only `_id` wrapped.
  return text.includes('"$') ? JSON.parse(text, revive) : JSON.parse(text);
}
