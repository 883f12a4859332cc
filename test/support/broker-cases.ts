import { brokerVerdict } from '../../scripts/lib/brokers';

type Verdict = ReturnType<typeof brokerVerdict>;

/**
 * `it` for a case that needs the broker `verdict` is about. When the broker
 * is absent the case is skipped, naming why: brokerVerdict only says skip
 * outside CI; under CI=true a missing broker is a failing case of its own.
 */
export function brokerCase(verdict: Verdict) {
  return (name: string, fn: () => Promise<void>, timeout?: number) =>
    verdict.run
      ? it(name, fn, timeout)
      : it.skip(`${name} (skipped: ${'skip' in verdict ? verdict.skip : 'no broker'})`, fn);
}
