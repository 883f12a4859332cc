import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, Credentials, getJson, send } from './api';
import { AuditLog } from './audit';
import { ConfirmDialog, Confirmation } from './confirm';
import { DependencyMap } from './dependency-map';
import { Drift } from './drift';
import { Progress } from './progress';
import { ratesBetween, windowStart } from './rates';
import { RouteAction, RoutesTable } from './routes';
import { storeToken, storeUser, storedToken, storedUser } from './session';
import { TokenPanel } from './token';
import { RouteReportView } from './report';
import type { AuditEntry, Overview, RouteReport, RouteView } from './types';

const REFRESH_MS = 3_000;
/** The admin API allows ADMIN_RATE_LIMIT (default 120) calls a minute per client: its polls go slower. */
const ADMIN_REFRESH_MS = 6_000;
/** Overviews kept for the charts: five minutes at one every REFRESH_MS. */
const HISTORY = 100;
const RATE_WINDOW_S = 10;

function initialCredentials(): Credentials | null {
  const token = storedToken();
  return token ? { token, user: storedUser() || undefined } : null;
}

/** Polls `load` every `intervalMs` (never two at once) while `key` stays the same. */
function usePolling(load: () => Promise<void>, key: unknown, intervalMs: number): void {
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      await load().catch(() => undefined);
      if (!stopped) timer = setTimeout(tick, intervalMs);
    };
    void tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
    // `load` is rebuilt on every render; `key` says when polling must start over.
  }, [key, intervalMs]);
}

function describe(action: RouteAction): Omit<Confirmation, 'run'> {
  switch (action.kind) {
    case 'flip':
      return {
        title: `Flip ${action.route} to ${action.target}?`,
        detail: `Every request of route ${action.route} will go to ${action.target} at once.`,
        confirmLabel: `Flip to ${action.target}`,
      };
    case 'shadow':
      return {
        title: `Shadow ${action.route} on ${action.candidate}?`,
        detail: `Clients keep their answers from the current target; safe requests are also sent to ${action.candidate} and the answers compared.`,
        confirmLabel: `Shadow on ${action.candidate}`,
      };
    case 'canary':
      return {
        title: `Canary ${action.route} on ${action.candidate}?`,
        detail: `${action.weight ?? '?'}% of the safe requests of route ${action.route} will be answered by ${action.candidate}.`,
        confirmLabel: `Canary on ${action.candidate}`,
      };
    case 'promote':
      return {
        title: `Promote ${action.route}?`,
        detail: `Route ${action.route} takes its next step: shadow to canary, a larger canary weight, or live on the candidate.`,
        confirmLabel: 'Promote',
      };
    case 'rollback':
      return {
        title: `Roll back ${action.route}?`,
        detail: `Route ${action.route} drops its candidate, or goes back to the monolith when it has none.`,
        confirmLabel: 'Roll back',
      };
  }
}

function perform(action: RouteAction, credentials: Credentials, reason: string): Promise<RouteView> {
  const path = `/routes/${encodeURIComponent(action.route)}`;
  const why = reason ? { reason } : {};
  switch (action.kind) {
    case 'flip':
      return send('PUT', path, credentials, { target: action.target, mode: 'live', ...why });
    case 'shadow':
      return send('POST', `${path}/shadow`, credentials, { candidate: action.candidate, ...why });
    case 'canary':
      return send('POST', `${path}/canary`, credentials, {
        candidate: action.candidate,
        weight: action.weight,
        ...why,
      });
    case 'promote':
      return send('POST', `${path}/promote`, credentials, why);
    case 'rollback':
      return send('POST', `${path}/rollback`, credentials, why);
  }
}

/** What a route looks like after a change, in words. */
function outcome(route: RouteView): string {
  if (route.state === 'shadow')
    return `Route ${route.name} is answered by ${route.target} and shadowed on ${route.candidate}.`;
  if (route.state === 'canary') {
    return `Route ${route.name} sends ${route.weight}% to ${route.candidate}, the rest to ${route.target}.`;
  }
  return `Route ${route.name} now goes to ${route.target}.`;
}

/** The shadowed and canaried routes: each candidate beside its target. */
function Candidates(props: { reports: RouteReport[]; signedIn: boolean; overview: Overview }) {
  const watched = props.overview.routes.filter((route) => route.candidate);
  return (
    <section aria-labelledby="candidates-heading">
      <h2 id="candidates-heading">Shadow and canary</h2>
      {watched.length === 0 ? (
        <p class="note">No route has a candidate: shadow or canary one to compare it with its target.</p>
      ) : !props.signedIn ? (
        <p class="note">Enter the admin token to see how each candidate compares with its target.</p>
      ) : (
        props.reports.map((report) => <RouteReportView key={report.name} report={report} />)
      )}
    </section>
  );
}

export function App() {
  const [credentials, setCredentials] = useState<Credentials | null>(initialCredentials);
  const [history, setHistory] = useState<Overview[]>([]);
  const [overviewError, setOverviewError] = useState('');
  const [audit, setAudit] = useState<AuditEntry[] | null>(null);
  const [reports, setReports] = useState<RouteReport[]>([]);
  const [pending, setPending] = useState<Confirmation | null>(null);
  const [notice, setNotice] = useState('');
  const [problem, setProblem] = useState('');

  const loadOverview = async () => {
    try {
      const overview = await getJson<Overview>('/overview');
      setHistory((kept) => [...kept.slice(-(HISTORY - 1)), overview]);
      setOverviewError('');
    } catch (error) {
      setOverviewError(error instanceof ApiError ? error.message : String(error));
    }
  };
  const loadAudit = async () => {
    if (!credentials) return setAudit(null);
    try {
      setAudit((await getJson<{ items: AuditEntry[] }>('/audit?limit=50', credentials)).items);
    } catch (error) {
      setProblem(error instanceof ApiError ? error.message : String(error));
    }
  };
  /** Reports of the routes that have a candidate: the admin API's rate limit is too small to ask for every route. */
  const loadReports = async () => {
    const latest = history[history.length - 1];
    const watched = latest?.routes.filter((route) => route.candidate) ?? [];
    if (!credentials || watched.length === 0) return setReports([]);
    const answers = await Promise.all(
      watched.map((route) =>
        getJson<RouteReport>(`/routes/${encodeURIComponent(route.name)}/report`, credentials).catch(() => null),
      ),
    );
    setReports(answers.filter((report): report is RouteReport => report !== null));
  };
  usePolling(loadOverview, 'overview', REFRESH_MS);
  usePolling(loadAudit, credentials, ADMIN_REFRESH_MS);
  const watchedRoutes = history[history.length - 1]?.routes
    .filter((route) => route.candidate)
    .map((route) => route.name)
    .join(',');
  usePolling(loadReports, `${credentials?.token ?? ''}|${watchedRoutes ?? ''}`, ADMIN_REFRESH_MS);

  const changeCredentials = (next: Credentials | null) => {
    storeToken(next?.token ?? '');
    storeUser(next?.user ?? '');
    setCredentials(next);
    setProblem('');
    setNotice(next ? 'Token accepted; it is kept for this tab only.' : 'Token forgotten.');
  };

  /** Without the token nothing is sent; with it, the change is sent once the user confirms it. */
  const request = (action: RouteAction) => {
    if (!credentials) {
      setNotice('');
      setProblem('Enter the admin token first: changing a route needs it.');
      return;
    }
    setPending({
      ...describe(action),
      run: async (reason: string) => {
        setProblem('');
        setNotice(`Sending: ${describe(action).title.replace(/\?$/, '')}…`);
        try {
          setNotice(outcome(await perform(action, credentials, reason)));
        } catch (error) {
          setNotice('');
          setProblem(error instanceof ApiError ? error.message : String(error));
        }
        await Promise.all([loadOverview(), loadAudit()]);
      },
    });
  };

  const latest = history[history.length - 1];
  const rates = useMemo(() => {
    const start = windowStart(history, RATE_WINDOW_S);
    return start && latest ? ratesBetween(start, latest) : [];
  }, [history]);

  return (
    <>
      <a class="skip" href="#routes">
        Skip to the routes
      </a>
      <header>
        <h1>Strangler migration dashboard</h1>
        <p class="note">Refreshed every {REFRESH_MS / 1000} s from the gateway's own metrics.</p>
      </header>
      <main>
        <TokenPanel credentials={credentials} onChange={changeCredentials} />
        <div class="messages">
          <p role="status" class="notice">
            {notice}
          </p>
          <p role="alert" class="error">
            {problem}
          </p>
        </div>
        {overviewError && <p class="error">The gateway's overview could not be read: {overviewError}</p>}
        {latest ? (
          <>
            <RoutesTable overview={latest} rates={rates} onAction={request} />
            <Candidates reports={reports} signedIn={credentials !== null} overview={latest} />
            <Progress history={history} rates={rates} />
          </>
        ) : (
          <p class="note">Loading the routes…</p>
        )}
        <AuditLog entries={audit} />
        <Drift credentials={credentials} />
        <DependencyMap />
      </main>
      <ConfirmDialog pending={pending} onClose={() => setPending(null)} />
    </>
  );
}
