/**
 * The console's only way to the apps: same-origin /api/<app>/… through the console's proxy.
 * Tokens live in this module's memory only (never localStorage, sessionStorage or cookies), so a
 * reload signs out. The access token is refreshed (the refresh token rotates) before it runs out
 * and when an app answers 401; a refused refresh ends the session with a message. An app asking
 * for re-authentication (403 reauth_required) gets the password-and-code prompt, then the request
 * is sent again.
 */
export type AppName = 'crm' | 'recording' | 'dialer';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  sessionId: string;
}

export interface FieldError {
  field: string;
  messages: string[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId: string | null,
    readonly fields: FieldError[] = [],
  ) {
    super(message);
  }
}

export type SessionEnd = 'expired' | 'frozen' | 'logout';

export interface ClientHooks {
  /** Shows the re-authentication prompt; resolves true once the API accepted password and code. */
  reauthenticate(): Promise<boolean>;
  /** The session is over: back to sign-in, with a reason. */
  sessionEnded(reason: SessionEnd): void;
}

interface Session {
  accessToken: string;
  refreshToken: string;
  /** ms since epoch when the access token runs out, from expiresIn (not the clock of the server). */
  expiresAt: number;
}

const REFRESH_MARGIN_MS = 30_000;

let session: Session | null = null;
let hooks: ClientHooks | null = null;
let refreshing: Promise<boolean> | null = null;

export function setClientHooks(h: ClientHooks): void {
  hooks = h;
}

export function startSession(tokens: TokenPair): void {
  session = { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: Date.now() + tokens.expiresIn * 1000 };
}

export function clearSession(): void {
  session = null;
}

export function hasSession(): boolean {
  return session !== null;
}

export interface RequestOptions {
  json?: unknown;
  /** Raw body (CSV upload) with its content type. */
  body?: Blob | string;
  contentType?: string;
  query?: Record<string, string | number | boolean | undefined | null>;
  /** Sign-in routes: no token, no refresh, no re-auth prompt. */
  anonymous?: boolean;
}

export function apiUrl(app: AppName, path: string, query?: RequestOptions['query']): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const qs = params.toString();
  return `/api/${app}${path.startsWith('/') ? path : `/${path}`}${qs ? `?${qs}` : ''}`;
}

async function toError(res: Response): Promise<ApiError> {
  let body: { error?: string; message?: string; requestId?: string; fields?: FieldError[] } = {};
  try {
    body = await res.json();
  } catch {
    /* not JSON: keep the status */
  }
  return new ApiError(res.status, body.error ?? `http_${res.status}`, body.message ?? `Request failed (${res.status})`, body.requestId ?? null, body.fields ?? []);
}

/** Rotates the refresh token; one refresh at a time, shared by every request waiting on it. */
export function refreshSession(): Promise<boolean> {
  if (!session) return Promise.resolve(false);
  if (!refreshing) {
    const refreshToken = session.refreshToken;
    refreshing = (async () => {
      try {
        const res = await fetch(apiUrl('crm', '/auth/refresh'), {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ refreshToken }),
          credentials: 'omit',
          cache: 'no-store',
        });
        if (!res.ok) return false;
        startSession((await res.json()) as TokenPair);
        return true;
      } catch {
        return false;
      } finally {
        refreshing = null;
      }
    })();
  }
  return refreshing;
}

function endSession(reason: SessionEnd): void {
  session = null;
  hooks?.sessionEnded(reason);
}

/** A request as the signed-in user; answers the raw Response (for binary bodies) once it is OK. */
export async function send(app: AppName, method: string, path: string, options: RequestOptions = {}): Promise<Response> {
  const attempt = async (): Promise<Response> => {
    const headers: Record<string, string> = {};
    let body: BodyInit | undefined;
    if (options.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.body !== undefined) {
      headers['Content-Type'] = options.contentType ?? 'application/octet-stream';
      body = options.body;
    }
    if (!options.anonymous && session) headers.Authorization = `Bearer ${session.accessToken}`;
    return fetch(apiUrl(app, path, options.query), { method, headers, body, credentials: 'omit', cache: 'no-store' });
  };

  if (!options.anonymous && session && Date.now() > session.expiresAt - REFRESH_MARGIN_MS) {
    if (!(await refreshSession())) {
      endSession('expired');
      throw new ApiError(401, 'session_expired', 'Your session has expired', null);
    }
  }
  let res = await attempt();
  if (options.anonymous) {
    if (!res.ok) throw await toError(res);
    return res;
  }
  for (let retries = 0; !res.ok && retries < 2; retries++) {
    const error = await toError(res);
    if (error.code === 'account_frozen') {
      endSession('frozen');
      throw error;
    }
    if (res.status === 401) {
      if (!session || !(await refreshSession())) {
        endSession('expired');
        throw error;
      }
      res = await attempt();
      continue;
    }
    if (error.code === 'reauth_required' && hooks) {
      if (!(await hooks.reauthenticate())) throw error;
      res = await attempt();
      continue;
    }
    throw error;
  }
  if (!res.ok) throw await toError(res);
  return res;
}

export async function api<T>(app: AppName, method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const res = await send(app, method, path, options);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/**
 * Uploads a file with upload progress (fetch cannot report it). The import is streamed on the
 * server as it arrives, so bytes sent track the rows being imported; the answer is the report.
 */
export function uploadWithProgress<T>(app: AppName, path: string, file: Blob, contentType: string, onProgress: (sent: number, total: number) => void): Promise<T> {
  const run = () =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', apiUrl(app, path));
      xhr.setRequestHeader('Content-Type', contentType);
      if (session) xhr.setRequestHeader('Authorization', `Bearer ${session.accessToken}`);
      xhr.upload.onprogress = (event) => onProgress(event.loaded, event.lengthComputable ? event.total : file.size);
      xhr.onload = () => resolve({ status: xhr.status, text: xhr.responseText });
      xhr.onerror = () => reject(new ApiError(0, 'network', 'The upload failed (network)', null));
      xhr.send(file);
    });
  return (async () => {
    if (session && Date.now() > session.expiresAt - REFRESH_MARGIN_MS && !(await refreshSession())) {
      endSession('expired');
      throw new ApiError(401, 'session_expired', 'Your session has expired', null);
    }
    let answer = await run();
    if (answer.status === 401 && (await refreshSession())) answer = await run();
    const parsed = answer.text ? JSON.parse(answer.text) : {};
    if (answer.status >= 200 && answer.status < 300) return parsed as T;
    if (answer.status === 401) endSession('expired');
    throw new ApiError(answer.status, parsed.error ?? `http_${answer.status}`, parsed.message ?? 'Upload failed', parsed.requestId ?? null, parsed.fields ?? []);
  })();
}

export async function logout(): Promise<void> {
  try {
    if (session) await send('crm', 'POST', '/auth/logout');
  } finally {
    endSession('logout');
  }
}
