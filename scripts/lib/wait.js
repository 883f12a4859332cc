'use strict';
// The wait of the dev scripts, as libs/platform's `eventually` is for the TypeScript code.

/**
 * Calls `probe` until `accept` holds of its answer or `timeoutMs` has passed,
 * pausing `intervalMs` between two calls; resolves with the last answer,
 * accepted or not. A probe that throws ends the wait with its error (a
 * process that exited).
 * @template T
 * @param {() => T | Promise<T>} probe
 * @param {(value: T) => boolean} accept
 * @param {number} timeoutMs
 * @param {number} intervalMs
 * @returns {Promise<T>}
 */
async function eventually(probe, accept, timeoutMs, intervalMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

module.exports = { eventually };
