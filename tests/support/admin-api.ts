import { TEST_ADMIN_KEY } from './keys.js';

/** An admin API answer: `body` is the parsed JSON, undefined when the answer is empty or not JSON (CSV). */
export interface AdminAnswer<T = unknown> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

/** Calls the admin API at `baseUrl` with a key; `body` as a string or bytes goes as CSV, anything else as JSON. */
export async function adminCall<T = unknown>(baseUrl: string, key: string, method: string, path: string, body?: unknown): Promise<AdminAnswer<T>> {
  const headers: Record<string, string> = { authorization: `Bearer ${key}` };
  let payload: string | Blob | undefined;
  if (typeof body === 'string' || body instanceof Uint8Array) {
    headers['content-type'] = 'text/csv';
    payload = typeof body === 'string' ? body : new Blob([new Uint8Array(body)]);
  } else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const res = await fetch(`${baseUrl}/admin/api${path}`, { method, headers, ...(payload !== undefined ? { body: payload } : {}) });
  const text = await res.text();
  let parsed: unknown = undefined;
  try {
    parsed = JSON.parse(text);
  } catch {
    // CSV and empty answers stay as text.
  }
  return { status: res.status, body: parsed as T, text, headers: res.headers };
}

/** The JSON of an answer that must be JSON (or empty): a non-empty answer that is not JSON fails. */
export function requireJson<T>(answer: AdminAnswer<T>): T {
  if (answer.body === undefined && answer.text !== '') throw new SyntaxError(`admin API answered ${answer.status} with non-JSON: ${answer.text.slice(0, 200)}`);
  return answer.body;
}

/** A new staff key of `role`, optionally limited to a province, made with `adminKey`; returns the plaintext key. */
export async function createStaffKey(baseUrl: string, role: string, province?: string | null, adminKey: string = TEST_ADMIN_KEY): Promise<string> {
  const answer = await adminCall<{ key: string }>(baseUrl, adminKey, 'POST', '/keys', { role, label: `${role} ${province ?? 'all'}`, ...(province ? { province } : {}) });
  if (answer.status !== 201) throw new Error(`key creation answered ${answer.status}: ${answer.text}`);
  return answer.body.key;
}
