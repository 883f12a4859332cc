import { useMemo } from 'preact/hooks';
import { TimeChart, TimeSeries } from './chart';
import { percent, perSecond } from './format';
import { TargetRate, ratesBetween, serviceShare } from './rates';
import type { Overview, RouteState } from './types';

const STATES: RouteState[] = ['monolith', 'shadow', 'canary', 'live'];

/** Requests per second per target, and the share served by services, between each pair of successive overviews. */
function seriesOf(history: Overview[]): { perTarget: TimeSeries; share: TimeSeries } {
  const steps = history
    .slice(1)
    .map((later, i) => ({ at: Date.parse(later.at) / 1000, rates: ratesBetween(history[i], later) }));
  const targets = [...new Set(steps.flatMap((step) => step.rates.map((rate) => rate.target)))].sort();
  const times = steps.map((step) => step.at);
  const defaultTarget = history[history.length - 1]?.default ?? 'monolith';
  const sumFor = (rates: TargetRate[], target: string) =>
    rates.filter((rate) => rate.target === target).reduce((sum, rate) => sum + rate.perSecond, 0);
  return {
    perTarget: {
      times,
      series: targets.map((target) => ({ label: target, values: steps.map((step) => sumFor(step.rates, target)) })),
    },
    share: {
      times,
      series: [
        {
          label: 'served by services',
          values: steps.map((step) => {
            const share = serviceShare(
              step.rates.map((r) => ({ target: r.target, amount: r.perSecond })),
              defaultTarget,
            );
            return share === null ? null : share * 100;
          }),
        },
      ],
    },
  };
}

/** How far the migration is: routes by state, and how much of the traffic the services now serve. */
export function Progress(props: { history: Overview[]; rates: TargetRate[] }) {
  const latest = props.history[props.history.length - 1];
  const series = useMemo(() => seriesOf(props.history), [props.history]);
  const counts = STATES.map((state) => ({
    state,
    count: latest.routes.filter((route) => route.state === state).length,
  }));
  const recentShare = serviceShare(
    props.rates.map((rate) => ({ target: rate.target, amount: rate.perSecond })),
    latest.default,
  );
  const overallShare = serviceShare(
    latest.traffic.map((pair) => ({ target: pair.target, amount: pair.requests })),
    latest.default,
  );
  const total = props.rates.reduce((sum, rate) => sum + rate.perSecond, 0);
  return (
    <section aria-labelledby="progress-heading">
      <h2 id="progress-heading">Migration progress</h2>
      <dl class="figures">
        {counts.map(({ state, count }) => (
          <div key={state} data-state={state}>
            <dt>Routes {state}</dt>
            <dd>{count}</dd>
          </div>
        ))}
        <div>
          <dt>Served by services, last 10 s</dt>
          <dd data-figure="recent-share">{percent(recentShare)}</dd>
        </div>
        <div>
          <dt>Served by services, since the gateway started</dt>
          <dd data-figure="overall-share">{percent(overallShare)}</dd>
        </div>
        <div>
          <dt>Requests per second</dt>
          <dd>{perSecond(total)}</dd>
        </div>
      </dl>
      <div class="charts">
        <TimeChart
          title="Requests per second by target"
          unit="req/s"
          data={series.perTarget}
          summary={
            series.perTarget.series.map((s) => `${s.label} ${perSecond(s.values[s.values.length - 1])}`).join(', ') ||
            'no traffic yet'
          }
        />
        <TimeChart
          title="Share of requests served by services"
          unit="%"
          data={series.share}
          summary={percent(recentShare)}
        />
      </div>
    </section>
  );
}
