/** The admin API, called with the console's session cookie and CSRF header. */

export const API_BASE = '/admin/api';

export class ApiError extends Error {
  /** @param {number} status @param {string} code @param {string} message @param {string} [field] */
  constructor(status, code, message, field) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

/**
 * @typedef {{ csrfToken: () => string, onSignedOut: () => void, onSessionChanged: () => void }} ApiHooks
 */

/**
 * @param {ApiHooks} hooks
 * @param {AbortSignal} [signal] ends every call of this client (the page that made them is gone)
 * @returns {import('./types.js').Api}
 */
export function createApi(hooks, signal) {
  /**
   * @param {'GET' | 'POST' | 'PUT' | 'DELETE'} method @param {string} path @param {unknown} [body] @param {string} [contentType] set for a raw body (a file)
   * @returns {Promise<unknown>}
   */
  async function call(method, path, body, contentType) {
    if (signal?.aborted) throw new ApiError(0, 'aborted', 'aborted');
    /** @type {Record<string, string>} */
    const headers = { Accept: 'application/json' };
    if (method !== 'GET') headers['X-CSRF-Token'] = hooks.csrfToken();
    /** @type {BodyInit | undefined} */
    let payload;
    if (body !== undefined) {
      headers['Content-Type'] = contentType ?? 'application/json';
      payload = contentType ? /** @type {Blob} */ (body) : JSON.stringify(body);
    }
    let res;
    try {
      res = await fetch(API_BASE + path, { method, headers, body: payload, credentials: 'same-origin', cache: 'no-store', signal });
    } catch {
      throw signal?.aborted ? new ApiError(0, 'aborted', 'aborted') : new ApiError(0, 'network', 'network');
    }
    const text = await res.text();
    /** @type {unknown} */
    let data = null;
    if (text) {
      try {
        data = JSON.parse(text);
      } catch {
        data = text;
      }
    }
    if (signal?.aborted) throw new ApiError(0, 'aborted', 'aborted');
    if (!res.ok) {
      const err = /** @type {import('./api-types.js').ApiErrorBody} */ (data && typeof data === 'object' ? data : {});
      if (res.status === 401) hooks.onSignedOut();
      // Another tab signed in with another key: this tab's CSRF token belongs to the old session.
      if (res.status === 403 && err.code === 'csrf_failed') hooks.onSessionChanged();
      throw new ApiError(res.status, err.code ?? 'http_' + res.status, err.message ?? res.statusText, err.field);
    }
    return data;
  }
  return {
    get: (path) => call('GET', path),
    post: (path, body) => call('POST', path, body ?? {}),
    put: (path, body) => call('PUT', path, body ?? {}),
    del: (path) => call('DELETE', path),
    upload: (path, file, contentType) => call('POST', path, file, contentType),
    url: (path) => API_BASE + path,
    /** The same client, its calls ended when `pageSignal` aborts. */
    forPage: (pageSignal) => createApi(hooks, pageSignal),
  };
}

/** The console's own session endpoints (outside the admin API). */
export const sessionApi = {
  /** @returns {Promise<import('./api-types.js').Session | null>} */
  async current() {
    const res = await fetch('/console/session', { credentials: 'same-origin', cache: 'no-store' });
    return res.ok ? res.json() : null;
  },
  /** @param {string} key @returns {Promise<import('./api-types.js').Session>} */
  async signIn(key) {
    const res = await fetch('/console/session', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ key }),
    });
    const data = await res.json().catch(() => ({}));
    if (!res.ok) throw new ApiError(res.status, data.code ?? 'http_' + res.status, data.message ?? '');
    return data;
  },
  /** @param {string} csrfToken */
  async signOut(csrfToken) {
    await fetch('/console/session', { method: 'DELETE', credentials: 'same-origin', headers: { 'X-CSRF-Token': csrfToken } });
  },
};
