import { expect } from 'vitest';
import type { TestApp } from './app.js';
import { TEST_ADMIN_KEY } from './keys.js';
import { adminCall as callAdminApi, createStaffKey } from './admin-api.js';

/** The admin key the imports suites start their app with. */
export const IMPORTS_ADMIN_KEY = TEST_ADMIN_KEY;

export interface ApiAnswer {
  status: number;
  text: string;
  headers: Headers;
  json: Record<string, unknown>;
}

/** Calls the admin API with a key; `body` as a string or bytes goes as CSV, anything else as JSON. */
export async function adminCall(app: TestApp, method: string, path: string, key: string, body?: unknown): Promise<ApiAnswer> {
  const { status, text, headers, body: json } = await callAdminApi<Record<string, unknown> | undefined>(app.url, key, method, path, body);
  // CSV answers are not JSON.
  return { status, text, headers, json: json === undefined ? {} : json };
}

/** Creates a staff key and returns its plaintext. */
export const createKey = (app: TestApp, role: string, province?: string): Promise<string> => createStaffKey(app.url, role, province);

/** Polls a job until it is done or failed (at most 3 minutes: a 10 000-row file beside other test files on 2 cores); returns its last view. */
export async function waitForJob(app: TestApp, id: string, key: string = IMPORTS_ADMIN_KEY): Promise<Record<string, unknown>> {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    const res = await adminCall(app, 'GET', `/imports/${id}`, key);
    expect(res.status).toBe(200);
    if (res.json.status === 'done' || res.json.status === 'failed') return res.json;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`import ${id} did not finish`);
}

/** Uploads and waits: the job's final view. */
export async function importAndWait(app: TestApp, kind: 'beneficiaries' | 'ledger', body: unknown, key: string = IMPORTS_ADMIN_KEY): Promise<Record<string, unknown>> {
  const res = await adminCall(app, 'POST', `/imports/${kind}`, key, body);
  expect(res.status, res.text).toBe(202);
  return waitForJob(app, res.json.id as string, key);
}

export const REGISTER_HEADER =
  'bhxh_code,cccd,full_name,date_of_birth,gender,phones,province_code,district_code,commune_code,benefit_type,monthly_amount,payment_method,bank_bin,account_number,account_holder';

/**
 * A valid, invented register row number `n` (test data): the CCCD's birth
 * year digits agree with the date of birth, the province is `province`.
 */
export function registerRow(n: number, province = '01'): string {
  const year = 1940 + (n % 30);
  const code = `${province}${String(n).padStart(8, '0')}`;
  const cccd = `001${n % 2 === 0 ? '0' : '1'}${String(year % 100).padStart(2, '0')}${String(n).padStart(6, '0')}`;
  const phone = `09${String(n).padStart(8, '0')}`;
  return `${code},${cccd},Nguyễn Văn Thử ${n},05/03/${year},${n % 2 === 0 ? 'nam' : 'nu'},${phone},${province},001,00001,pension,"4.350.000",cash_post,,,`;
}
