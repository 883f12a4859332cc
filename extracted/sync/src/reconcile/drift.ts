import { isDeepStrictEqual } from 'node:util';
import { Projection } from './projections';

export type Row = Record<string, unknown>;

export interface Difference {
  key: string;
  field: string;
  monolith: unknown;
  service: unknown;
}

export interface Drift {
  projection: string;
  monolithCount: number;
  serviceCount: number;
  /** In the monolith, not in the service. */
  missing: string[];
  /** In the service, not in the monolith. */
  extra: string[];
  different: Difference[];
}

function keyOf(row: Row, key: string[]): string {
  return key.map((field) => String(row[field])).join('/');
}

/** Compares the two sides' rows of one projection. */
export function driftOf(projection: Projection, monolithRows: Row[], serviceRows: Row[]): Drift {
  const serviceByKey = new Map(serviceRows.map((row) => [keyOf(row, projection.key), row]));
  const drift: Drift = {
    projection: projection.name,
    monolithCount: monolithRows.length,
    serviceCount: serviceRows.length,
    missing: [],
    extra: [],
    different: [],
  };
  const seen = new Set<string>();
  for (const row of monolithRows) {
    const key = keyOf(row, projection.key);
    seen.add(key);
    const other = serviceByKey.get(key);
    if (!other) {
      drift.missing.push(key);
      continue;
    }
    const field = projection.fields.find((name) => !isDeepStrictEqual(row[name] ?? null, other[name] ?? null));
    if (field) drift.different.push({ key, field, monolith: row[field], service: other[field] });
  }
  for (const key of serviceByKey.keys()) if (!seen.has(key)) drift.extra.push(key);
  return drift;
}

export function hasDrift(drifts: Drift[]): boolean {
  return drifts.some((drift) => drift.missing.length + drift.extra.length + drift.different.length > 0);
}

const EXAMPLES = 10;

/** A readable report: one summary line per projection, then examples. */
export function formatDrift(service: string, drifts: Drift[]): string {
  const lines = [`reconcile ${service}: ${hasDrift(drifts) ? 'DRIFT' : 'no drift'}`];
  for (const drift of drifts) {
    lines.push(
      `  ${drift.projection}: monolith ${drift.monolithCount}, ${service} ${drift.serviceCount}; ` +
        `missing ${drift.missing.length}, extra ${drift.extra.length}, different ${drift.different.length}`,
    );
    for (const key of drift.missing.slice(0, EXAMPLES)) lines.push(`    missing   ${key}`);
    for (const key of drift.extra.slice(0, EXAMPLES)) lines.push(`    extra     ${key}`);
    for (const diff of drift.different.slice(0, EXAMPLES)) {
      lines.push(
        `    different ${diff.key} ${diff.field}: monolith ${JSON.stringify(diff.monolith)} vs ${JSON.stringify(diff.service)}`,
      );
    }
  }
  return lines.join('\n');
}

/** One projection's drift as counts, with the first few keys of each kind as examples. */
export interface DriftSummary {
  projection: string;
  monolithCount: number;
  serviceCount: number;
  missing: number;
  extra: number;
  different: number;
  examples: { missing: string[]; extra: string[]; different: Difference[] };
}

/** The drift of one projection, small enough to send over HTTP whatever its size. */
export function summarizeDrift(drift: Drift): DriftSummary {
  return {
    projection: drift.projection,
    monolithCount: drift.monolithCount,
    serviceCount: drift.serviceCount,
    missing: drift.missing.length,
    extra: drift.extra.length,
    different: drift.different.length,
    examples: {
      missing: drift.missing.slice(0, EXAMPLES),
      extra: drift.extra.slice(0, EXAMPLES),
      different: drift.different.slice(0, EXAMPLES),
    },
  };
}
