import { DASH, time } from './format';
import type { AuditEntry } from './types';

/** Route changes, newest first, whoever made them (API, CLI, this page, or an edit of routes.yaml). */
export function AuditLog(props: { entries: AuditEntry[] | null }) {
  return (
    <section aria-labelledby="audit-heading">
      <h2 id="audit-heading">Audit log</h2>
      {props.entries === null ? (
        <p class="note">Enter the admin token to see who changed which route.</p>
      ) : props.entries.length === 0 ? (
        <p class="note">No route has been changed yet.</p>
      ) : (
        <table class="audit">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">Route</th>
              <th scope="col">From</th>
              <th scope="col">To</th>
              <th scope="col">State</th>
              <th scope="col">Candidate</th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {props.entries.map((entry, i) => (
              <tr key={`${entry.at}-${i}`}>
                <td>{time(entry.at)}</td>
                <td>{entry.who}</td>
                <td>{entry.route}</td>
                <td>{entry.from ?? DASH}</td>
                <td>{entry.to ?? DASH}</td>
                <td>{entry.state ?? entry.mode ?? DASH}</td>
                <td>{entry.candidate ? `${entry.candidate}${entry.weight ? ` (${entry.weight}%)` : ''}` : DASH}</td>
                <td>{entry.why ?? DASH}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
