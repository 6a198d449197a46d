import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { testMongoUri } from '../support/db.js';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
let app: TestApp;
let uri: string;

/** `npm run admin -- …` is a public contract: run the real script against the test database. */
const admin = (...args: string[]) =>
  run(process.execPath, ['--import', 'tsx', 'scripts/admin.ts', ...args], { cwd: root, env: { PATH: process.env.PATH ?? '', MONGODB_URI: uri } });

beforeAll(async () => {
  uri = testMongoUri();
  app = await startTestApp({ MONGODB_URI: uri });
});
afterAll(async () => {
  await app?.stop();
});

describe('admin CLI', () => {
  it('creates a province-scoped reviewer key that the API accepts, lists it and revokes it', async () => {
    const created = await admin('create-key', '--role', 'reviewer', '--province', '08', '--label', 'Phòng chế độ');
    const key = /^(lhb_[A-Za-z0-9_-]{43})$/m.exec(created.stdout)?.[1];
    expect(key).toBeDefined();
    const me = await fetch(`${app.url}/admin/api/me`, { headers: { authorization: `Bearer ${key}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ role: 'reviewer', province: '08', label: 'Phòng chế độ' });
    // Scoped to 08: asking for another province is refused.
    expect((await fetch(`${app.url}/admin/api/links?province=01`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(403);

    const listed = await admin('list-keys');
    expect(listed.stdout).toContain('Phòng chế độ');
    expect(listed.stdout).not.toContain(key!);
    const id = /^\s*(\w{24})\b.*Phòng chế độ/m.exec(listed.stdout)?.[1] ?? /(\w{24})/.exec(listed.stdout.split('\n').find((l) => l.includes('Phòng chế độ')) ?? '')?.[1];
    expect(id).toBeDefined();
    await admin('revoke-key', id!);
    expect((await fetch(`${app.url}/admin/api/me`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(401);
  });

  it('refuses a bad role with a usage message and exit code 2', async () => {
    const failure = await admin('create-key', '--role', 'superuser').then(
      () => undefined,
      (err: { code: number; stderr: string }) => err,
    );
    expect(failure?.code).toBe(2);
    expect(failure?.stderr).toMatch(/role/);
  });
});
