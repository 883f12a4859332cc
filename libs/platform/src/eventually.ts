/**
 * Calls `probe` until `accept` holds of its answer or `timeoutMs` has passed,
 * pausing `intervalMs` between two calls, and resolves with the last answer,
 * accepted or not: the caller decides what a late answer means (a test
 * asserts on it, a script reports it). A probe that throws ends the wait
 * with its error, which is how a probe gives up early (a process that exited).
 */
export async function eventually<T>(
  probe: () => T | Promise<T>,
  accept: (value: T) => boolean,
  timeoutMs = 15_000,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
