// How numbers read on the page; "—" where there is nothing to show yet.

export const DASH = '—';

export function perSecond(value: number | null | undefined): string {
  if (value === null || value === undefined) return DASH;
  return value >= 10 ? value.toFixed(0) : value.toFixed(1);
}

export function percent(value: number | null | undefined): string {
  if (value === null || value === undefined) return DASH;
  return `${(value * 100).toFixed(value > 0 && value < 0.01 ? 2 : 1)}%`;
}

export function latency(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return DASH;
  if (seconds === Infinity) return '> 10 s';
  return seconds >= 1 ? `${seconds.toFixed(2)} s` : `${(seconds * 1000).toFixed(seconds < 0.01 ? 1 : 0)} ms`;
}

export function time(iso: string): string {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : at.toLocaleString();
}

export const BREAKER_LABELS: Record<string, string> = { closed: 'closed', halfOpen: 'half-open', open: 'open' };
