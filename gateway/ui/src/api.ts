// Calls to the gateway on this page's own origin; failures carry the server's own message.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface Credentials {
  token: string;
  user?: string;
}

/** The message of a `{statusCode, error, message}` body (validation may send several), else the status line. */
function messageOf(status: number, statusText: string, body: unknown): string {
  const message = (body as { message?: unknown } | null)?.message;
  if (Array.isArray(message)) return message.join('; ');
  if (typeof message === 'string' && message) return message;
  return `the gateway answered ${status} ${statusText}`.trim();
}

async function call(path: string, init: RequestInit): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(`/_gateway${path}`, init);
  } catch {
    throw new ApiError(0, 'the gateway cannot be reached');
  }
  if (res.ok) return res;
  const body = await res.json().catch(() => null);
  throw new ApiError(res.status, messageOf(res.status, res.statusText, body));
}

function headers(credentials?: Credentials, json = false): Record<string, string> {
  const all: Record<string, string> = { accept: 'application/json' };
  if (json) all['content-type'] = 'application/json';
  if (credentials) all.authorization = `Bearer ${credentials.token}`;
  if (credentials?.user) all['x-admin-user'] = credentials.user;
  return all;
}

export async function getJson<T>(path: string, credentials?: Credentials): Promise<T> {
  return (await call(path, { headers: headers(credentials) })).json() as Promise<T>;
}

export async function getText(path: string): Promise<string> {
  return (await call(path, {})).text();
}

export async function send<T>(method: string, path: string, credentials: Credentials, body?: unknown): Promise<T> {
  const res = await call(path, {
    method,
    headers: headers(credentials, body !== undefined),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return res.json() as Promise<T>;
}
