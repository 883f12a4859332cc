/** Buckets a client key falls into; a weight of w percent gives the candidate the first w * 100. */
const BUCKETS = 10_000;

/** FNV-1a, 32 bits: cheap, and spreads close keys (user1, user2) apart. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * Whether a canary at `weight` percent sends this client to the candidate.
 * The same key on the same route always gets the same answer, and raising
 * the weight only moves clients towards the candidate, never back.
 */
export function assignsCandidate(route: string, key: string, weight: number): boolean {
  if (weight <= 0) return false;
  if (weight >= 100) return true;
  return fnv1a(`${route}\u0000${key}`) % BUCKETS < weight * (BUCKETS / 100);
}
