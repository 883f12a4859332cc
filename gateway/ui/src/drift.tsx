import { useState } from 'preact/hooks';
import { ApiError, Credentials, getJson } from './api';
import { time } from './format';
import type { DriftReport } from './types';

/** Each service's drift from the monolith, as `npm run reconcile` computes it; on demand, since it reads whole collections. */
export function Drift(props: { credentials: Credentials | null }) {
  const [report, setReport] = useState<DriftReport | null>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);

  const check = async () => {
    if (!props.credentials) {
      setStatus('Enter the admin token first: the drift report needs it.');
      return;
    }
    setBusy(true);
    setStatus('Comparing every service with the monolith…');
    try {
      setReport(await getJson<DriftReport>('/drift', props.credentials));
      setStatus('');
    } catch (error) {
      setStatus(error instanceof ApiError ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="drift-heading">
      <h2 id="drift-heading">Data drift per service</h2>
      <button type="button" onClick={check} disabled={busy}>
        Check drift
      </button>
      <p class="note" role="status">
        {status}
      </p>
      {report && (
        <table>
          <caption>Compared at {time(report.at)}</caption>
          <thead>
            <tr>
              <th scope="col">Service</th>
              <th scope="col">Records</th>
              <th scope="col">Monolith / service</th>
              <th scope="col">Missing</th>
              <th scope="col">Extra</th>
              <th scope="col">Different</th>
              <th scope="col">Examples</th>
            </tr>
          </thead>
          <tbody>
            {report.services.flatMap(({ service, projections }) =>
              projections.map((p) => (
                <tr key={`${service}/${p.projection}`}>
                  <th scope="row">{service}</th>
                  <td>{p.projection}</td>
                  <td>
                    {p.monolithCount} / {p.serviceCount}
                  </td>
                  <td>{p.missing}</td>
                  <td>{p.extra}</td>
                  <td>{p.different}</td>
                  <td class="examples">
                    {[
                      ...p.examples.missing.map((key) => `missing ${key}`),
                      ...p.examples.extra.map((key) => `extra ${key}`),
                      ...p.examples.different.map(
                        (d) => `${d.key} ${d.field}: ${JSON.stringify(d.monolith)} vs ${JSON.stringify(d.service)}`,
                      ),
                    ]
                      .slice(0, 5)
                      .join('; ') || 'no drift'}
                  </td>
                </tr>
              )),
            )}
          </tbody>
        </table>
      )}
    </section>
  );
}
