/** How numbers appear in reports: the same functions format every table, so tests can recompute any cell. */

const MISSING = 'n/a';
const finite = (value: number | undefined): value is number => value !== undefined && Number.isFinite(value);

/** Requests per second: whole numbers from 100 up, one decimal from 1 up, two significant digits below. */
export function formatRps(value: number | undefined): string {
  if (!finite(value)) return MISSING;
  if (value >= 100) return value.toFixed(0);
  if (value >= 1) return value.toFixed(1);
  return value === 0 ? '0' : value.toPrecision(2);
}

/** Milliseconds with three significant digits at most (0.42, 3.17, 12.4, 812). */
export function formatMs(value: number | undefined): string {
  if (!finite(value)) return MISSING;
  if (value >= 100) return value.toFixed(0);
  return value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

/** A difference in milliseconds, always signed. */
export function formatDeltaMs(value: number | undefined): string {
  if (!finite(value)) return MISSING;
  return `${value >= 0 ? '+' : '-'}${formatMs(Math.abs(value))}`;
}

export function formatMicros(value: number | undefined): string {
  if (!finite(value)) return MISSING;
  return value >= 10 ? value.toFixed(0) : value.toFixed(1);
}

/** Two decimals, one from 10 up, two significant digits below 0.01 (0.0012×). */
export function formatRatio(value: number | undefined): string {
  if (!finite(value)) return MISSING;
  if (value >= 10) return `${value.toFixed(1)}×`;
  return `${value >= 0.01 || value === 0 ? value.toFixed(2) : value.toPrecision(2)}×`;
}

/** `other / base`, undefined when the base is zero or missing. */
export function ratio(base: number | undefined, other: number | undefined): number | undefined {
  return finite(base) && finite(other) && base !== 0 ? other / base : undefined;
}
