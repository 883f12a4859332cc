// The admin token and the name for the audit log, kept for this tab only (sessionStorage).

const TOKEN_KEY = 'strangler.adminToken';
const USER_KEY = 'strangler.adminUser';

function read(key: string): string {
  try {
    return sessionStorage.getItem(key) ?? '';
  } catch {
    return '';
  }
}

function write(key: string, value: string): void {
  if (value) sessionStorage.setItem(key, value);
  else sessionStorage.removeItem(key);
}

export const storedToken = (): string => read(TOKEN_KEY);
export const storeToken = (token: string): void => write(TOKEN_KEY, token);
export const storedUser = (): string => read(USER_KEY);
export const storeUser = (user: string): void => write(USER_KEY, user);
