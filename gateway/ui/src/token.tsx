import { useState } from 'preact/hooks';
import { ApiError, Credentials, getJson } from './api';

/** The admin token, checked against the gateway once, then kept for this tab only. */
export function TokenPanel(props: { credentials: Credentials | null; onChange: (next: Credentials | null) => void }) {
  const [token, setToken] = useState('');
  const [user, setUser] = useState(props.credentials?.user ?? '');
  const [error, setError] = useState('');

  const submit = async (event: Event) => {
    event.preventDefault();
    const candidate = { token: token.trim(), user: user.trim() || undefined };
    if (!candidate.token) {
      setError('Enter the admin token (GATEWAY_ADMIN_TOKEN; npm start writes it to .data/gateway-admin-token).');
      return;
    }
    try {
      await getJson('/audit?limit=1', candidate);
      setError('');
      setToken('');
      props.onChange(candidate);
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : String(failure));
    }
  };

  if (props.credentials) {
    return (
      <section class="token" aria-labelledby="token-heading">
        <h2 id="token-heading">Access</h2>
        <p>
          A token is kept for this tab
          {props.credentials.user ? `; changes are recorded as ${props.credentials.user}` : ''}.
        </p>
        <button type="button" onClick={() => props.onChange(null)}>
          Forget token
        </button>
      </section>
    );
  }
  return (
    <section class="token" aria-labelledby="token-heading">
      <h2 id="token-heading">Access</h2>
      <form onSubmit={submit}>
        <label for="admin-token">Admin token</label>
        <input
          id="admin-token"
          type="password"
          autocomplete="off"
          value={token}
          onInput={(e) => setToken((e.target as HTMLInputElement).value)}
          aria-describedby="token-help"
        />
        <label for="admin-user">Your name for the audit log (optional)</label>
        <input
          id="admin-user"
          type="text"
          autocomplete="username"
          value={user}
          onInput={(e) => setUser((e.target as HTMLInputElement).value)}
        />
        <button type="submit">Use token</button>
        <p id="token-help" class="note">
          Needed to see the audit log and drift, and to change routes. Kept for this tab only.
        </p>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
      </form>
    </section>
  );
}
