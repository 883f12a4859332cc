import { join } from 'node:path';
import type { LoadtestResult } from '../../loadtest/lib/result';
import { CheckContext } from './check-kit';

/** A result `npm run loadtest -- --name <name>` wrote (loadtest/results/<name>.json), or undefined. */
export function loadtestResult(context: CheckContext, name: string): LoadtestResult | undefined {
  const text = context.read(join('loadtest', 'results', `${name}.json`));
  try {
    return text === undefined ? undefined : (JSON.parse(text) as LoadtestResult);
  } catch {
    return undefined;
  }
}
