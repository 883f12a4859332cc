import { useState } from 'preact/hooks';
import { BREAKER_LABELS, DASH, latency, percent, perSecond } from './format';
import type { TargetRate } from './rates';
import type { BreakerState, Overview, RouteView } from './types';

/** A change of a route the user asked for; the page confirms it, then sends it. */
export type RouteAction =
  | { kind: 'flip'; route: string; target: string }
  | { kind: 'shadow'; route: string; candidate: string }
  | { kind: 'canary'; route: string; candidate: string; weight: number | undefined }
  | { kind: 'promote'; route: string }
  | { kind: 'rollback'; route: string };

function Traffic(props: { rates: TargetRate[] }) {
  if (props.rates.length === 0) return <span class="note">no requests yet</span>;
  return (
    <ul class="traffic">
      {props.rates.map((rate) => (
        <li key={rate.target}>
          <strong>{rate.target}</strong>: {perSecond(rate.perSecond)} req/s, {percent(rate.errorRate)} errors, p99{' '}
          {latency(rate.p99)}
        </li>
      ))}
    </ul>
  );
}

function Breakers(props: { targets: string[]; breakers: Record<string, BreakerState> }) {
  const known = props.targets.filter((target) => props.breakers[target]);
  if (known.length === 0) return <>{DASH}</>;
  return (
    <>
      {known.map((target) => (
        <span key={target} class={`breaker breaker-${props.breakers[target]}`}>
          {known.length > 1 ? `${target}: ` : ''}
          {BREAKER_LABELS[props.breakers[target]]}
        </span>
      ))}
    </>
  );
}

function Controls(props: { route: RouteView; targets: string[]; onAction: (action: RouteAction) => void }) {
  const { route, onAction } = props;
  const others = props.targets.filter((target) => target !== route.target);
  const [other, setOther] = useState(others[0] ?? '');
  const [weight, setWeight] = useState(String(route.candidate ? (route.weight ?? 0) : 10));
  const chosen = others.includes(other) ? other : (others[0] ?? '');
  const name = route.name;
  const weightValue = weight.trim() === '' ? undefined : Number(weight);
  return (
    <div class="controls">
      <label for={`other-target-${name}`}>Target or candidate for {name}</label>
      <select
        id={`other-target-${name}`}
        value={chosen}
        onChange={(e) => setOther((e.target as HTMLSelectElement).value)}
      >
        {others.map((target) => (
          <option key={target} value={target}>
            {target}
          </option>
        ))}
      </select>
      <button
        type="button"
        aria-label={`Flip ${name}`}
        disabled={!chosen}
        onClick={() => onAction({ kind: 'flip', route: name, target: chosen })}
      >
        Flip
      </button>
      <button
        type="button"
        aria-label={`Shadow ${name}`}
        disabled={!chosen}
        onClick={() => onAction({ kind: 'shadow', route: name, candidate: chosen })}
      >
        Shadow
      </button>
      <label for={`weight-${name}`}>Canary weight for {name} (%)</label>
      <input
        id={`weight-${name}`}
        type="number"
        min={0}
        max={100}
        step={1}
        value={weight}
        onInput={(e) => setWeight((e.target as HTMLInputElement).value)}
      />
      <button
        type="button"
        aria-label={`Canary ${name}`}
        disabled={!chosen}
        onClick={() => onAction({ kind: 'canary', route: name, candidate: chosen, weight: weightValue })}
      >
        Canary
      </button>
      <button type="button" aria-label={`Promote ${name}`} onClick={() => onAction({ kind: 'promote', route: name })}>
        Promote
      </button>
      <button
        type="button"
        aria-label={`Roll back ${name}`}
        onClick={() => onAction({ kind: 'rollback', route: name })}
      >
        Roll back
      </button>
    </div>
  );
}

/** Every route: where it goes, how each of its targets behaves now, its breaker, and the controls. */
export function RoutesTable(props: {
  overview: Overview;
  rates: TargetRate[];
  onAction: (action: RouteAction) => void;
}) {
  const { overview } = props;
  const targets = overview.targets.map((target) => target.name);
  const ratesOf = (route: string) => props.rates.filter((rate) => rate.route === route);
  return (
    <section aria-labelledby="routes-heading" id="routes">
      <h2 id="routes-heading">Routes</h2>
      <table class="routes">
        <thead>
          <tr>
            <th scope="col">Route</th>
            <th scope="col">Paths</th>
            <th scope="col">State</th>
            <th scope="col">Target</th>
            <th scope="col">Candidate</th>
            <th scope="col">Weight</th>
            <th scope="col">Traffic (last 10 s)</th>
            <th scope="col">Breaker</th>
            <th scope="col">Change</th>
          </tr>
        </thead>
        <tbody>
          {overview.routes.map((route) => (
            <tr key={route.name} data-route={route.name}>
              <th scope="row">{route.name}</th>
              <td class="paths">{route.match.map((m) => `${m.methods?.join(',') ?? '*'} ${m.path}`).join('\n')}</td>
              <td class="state">{route.state}</td>
              <td class="target">{route.target}</td>
              <td>{route.candidate ?? DASH}</td>
              <td>{route.candidate ? `${route.weight ?? 0}%` : DASH}</td>
              <td>
                <Traffic rates={ratesOf(route.name)} />
              </td>
              <td>
                <Breakers
                  targets={[route.target, ...(route.candidate ? [route.candidate] : [])]}
                  breakers={overview.breakers}
                />
              </td>
              <td>
                <Controls route={route} targets={targets} onAction={props.onAction} />
              </td>
            </tr>
          ))}
          <tr data-route="default">
            <th scope="row">other paths</th>
            <td class="paths">anything no route matches</td>
            <td class="state">monolith</td>
            <td class="target">{overview.default}</td>
            <td>{DASH}</td>
            <td>{DASH}</td>
            <td>
              <Traffic rates={ratesOf('default')} />
            </td>
            <td>{DASH}</td>
            <td>{DASH}</td>
          </tr>
        </tbody>
      </table>
    </section>
  );
}
