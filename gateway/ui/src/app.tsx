import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
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
import type { AuditEntry, Overview, RouteView } from './types';

const REFRESH_MS = 3_000;
/** Overviews kept for the charts: five minutes at one every REFRESH_MS. */
const HISTORY = 100;
const RATE_WINDOW_S = 10;

function initialCredentials(): Credentials | null {
  const token = storedToken();
  return token ? { token, user: storedUser() || undefined } : null;
}

/** Polls `load` every REFRESH_MS (never two at once) while `key` stays the same. */
function usePolling(load: () => Promise<void>, key: unknown): void {
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      await load().catch(() => undefined);
      if (!stopped) timer = setTimeout(tick, REFRESH_MS);
    };
    void tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
    // `load` is rebuilt on every render; `key` says when polling must start over.
  }, [key]);
}

function describe(action: RouteAction): Omit<Confirmation, 'run'> {
  switch (action.kind) {
    case 'flip':
      return {
        title: `Flip ${action.route} to ${action.target}?`,
        detail: `Every request of route ${action.route} will go to ${action.target} at once.`,
        confirmLabel: `Flip to ${action.target}`,
      };
    case 'rollback':
      return {
        title: `Roll back ${action.route}?`,
        detail: `Route ${action.route} goes back to where it went before its last change.`,
        confirmLabel: 'Roll back',
      };
  }
}

function perform(action: RouteAction, credentials: Credentials): Promise<RouteView> {
  const path = `/routes/${encodeURIComponent(action.route)}`;
  switch (action.kind) {
    case 'flip':
      return send('PUT', path, credentials, { target: action.target, mode: 'live' });
    case 'rollback':
      return send('POST', `${path}/rollback`, credentials);
  }
}

export function App() {
  const [credentials, setCredentials] = useState<Credentials | null>(initialCredentials);
  const [history, setHistory] = useState<Overview[]>([]);
  const [overviewError, setOverviewError] = useState('');
  const [audit, setAudit] = useState<AuditEntry[] | null>(null);
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
  usePolling(loadOverview, 'overview');
  usePolling(loadAudit, credentials);

  const changeCredentials = (next: Credentials | null) => {
    storeToken(next?.token ?? '');
    storeUser(next?.user ?? '');
    setCredentials(next);
    setProblem('');
    setNotice(next ? 'Token accepted; it is kept for this tab only.' : 'Token forgotten.');
  };

  const request = useCallback(
    (action: RouteAction) => {
      if (!credentials) {
        setNotice('');
        setProblem('Enter the admin token first: changing a route needs it.');
        return;
      }
      setPending({
        ...describe(action),
        run: async () => {
          setProblem('');
          setNotice(`Sending: ${describe(action).title.replace(/\?$/, '')}…`);
          try {
            const route = await perform(action, credentials);
            setNotice(`Route ${route.name} now goes to ${route.target}.`);
          } catch (error) {
            setNotice('');
            setProblem(error instanceof ApiError ? error.message : String(error));
          }
          await Promise.all([loadOverview(), loadAudit()]);
        },
      });
    },
    [credentials],
  );

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
