import { parseArgs } from 'node:util';
import { ConfigError } from './load-config';

/** Exit code of a command line that cannot be understood. */
export const USAGE_EXIT = 2;

/** A command line that cannot be understood: the command prints the message and its usage text, and exits 2. */
export class UsageError extends Error {}

export type OptionSpec = Record<string, { type: 'string' | 'boolean' }>;

/** node's parseArgs (long options, positionals allowed), its complaints turned into UsageErrors. */
export function parseCommandLine<T extends OptionSpec>(argv: readonly string[], options: T) {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(errorMessage(error));
  }
}

/** Refuses positionals beyond the `expected` first ones. */
export function noExtraArguments(positionals: readonly string[], expected = 0): void {
  if (positionals.length > expected) throw new UsageError(`unexpected argument "${positionals[expected]}"`);
}

function wholeNumberRange(min: number, max: number): string {
  if (max < Number.MAX_SAFE_INTEGER) return `a whole number from ${min} to ${max}`;
  return min === 1 ? 'a positive whole number' : `a whole number of at least ${min}`;
}

/** An integer option within [min, max] (no upper bound by default), or `fallback` when absent. */
export function integerOption(
  value: string | undefined,
  name: string,
  min: number,
  max: number,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max)
    throw new UsageError(`--${name} must be ${wholeNumberRange(min, max)}, got "${value}"`);
  return n;
}

/** A positive integer option, or `fallback` when absent. */
export function positiveIntegerOption(value: string | undefined, name: string, fallback: number): number {
  return integerOption(value, name, 1, Number.MAX_SAFE_INTEGER, fallback);
}

/** One of `choices`, or `fallback` when absent. */
export function choiceOption<C extends string>(
  value: string | undefined,
  name: string,
  choices: readonly C[],
  fallback: C,
): C {
  if (value === undefined) return fallback;
  if (!(choices as readonly string[]).includes(value))
    throw new UsageError(`--${name} must be one of ${choices.join(', ')}, got "${value}"`);
  return value as C;
}

/** The message of anything thrown, also of errors made in another realm (node core under jest). */
export function errorMessage(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}

function exitOnFailure(usage: string, error: unknown): never {
  if (error instanceof UsageError) {
    process.stderr.write(`${error.message}\n\n${usage}\n`);
    process.exit(USAGE_EXIT);
  }
  const detail = error instanceof ConfigError ? error.message : ((error as Error).stack ?? String(error));
  process.stderr.write(`${detail}\n`);
  process.exit(1);
}

/**
 * Runs a command's main and exits with its code: a UsageError prints its
 * message and `usage` and exits 2; a ConfigError prints its message, anything
 * else its stack (a bug to report), and exits 1.
 */
export function runCommand(usage: string, main: (argv: string[]) => Promise<number | void>): void {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code ?? 0),
    (error: unknown) => exitOnFailure(usage, error),
  );
}

/** The process's command line read by `parse`; a UsageError prints it with `usage` and exits 2. */
export function commandLineOrExit<T>(usage: string, parse: (argv: string[]) => T): T {
  try {
    return parse(process.argv.slice(2));
  } catch (error) {
    return exitOnFailure(usage, error);
  }
}
