import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleSessionModel } from '../../src/db/models/console-session.js';
import { staffKeyModel } from '../../src/db/models/staff-key.js';
import { ConsoleSessionService, csrfMatches, csrfTokenFor, SESSION_MAX_AGE_MS } from '../../src/http/admin/console-sessions.js';
import { StaffKeyService } from '../../src/domain/staff-keys.js';
import { connectTestMongoose, type TestMongoose } from '../support/db.js';

const IDLE_MS = 30 * 60_000;

describe('console sessions', () => {
  let db: TestMongoose;
  let keys: StaffKeyService;
  let clock: Date;
  let sessions: ConsoleSessionService;

  beforeAll(async () => {
    db = await connectTestMongoose();
    await consoleSessionModel(db.connection).init();
    keys = new StaffKeyService(staffKeyModel(db.connection));
    clock = new Date('2026-11-23T02:00:00Z');
    sessions = new ConsoleSessionService(consoleSessionModel(db.connection), keys, IDLE_MS, () => clock);
  });
  afterAll(async () => {
    await db?.drop();
  });

  const later = (ms: number) => {
    clock = new Date(clock.getTime() + ms);
  };

  it('stores only a hash of the token and resolves it to the key, with its role and province', async () => {
    const { record } = await keys.create({ role: 'reviewer', province: '01', label: 'desk 1', createdBy: 'test' });
    const { token, csrfToken } = await sessions.create({ keyId: record.id, label: record.label, role: record.role, province: record.province });
    const stored = await consoleSessionModel(db.connection).find().lean();
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(csrfToken).toBe(csrfTokenFor(token));
    expect(await sessions.resolve(token)).toMatchObject({ keyId: record.id, role: 'reviewer', province: '01' });
    expect(await sessions.resolve(`${token}x`)).toBeNull();
  });

  it('ends after the idle timeout but not while in use', async () => {
    const { record } = await keys.create({ role: 'viewer', province: '01', label: 'desk 2', createdBy: 'test' });
    const { token } = await sessions.create({ keyId: record.id, label: record.label, role: record.role, province: record.province });
    for (let i = 0; i < 4; i++) {
      later(IDLE_MS - 60_000);
      expect(await sessions.resolve(token), `still in use after ${i + 1} busy periods`).not.toBeNull();
    }
    later(IDLE_MS + 1000);
    expect(await sessions.resolve(token)).toBeNull();
    // Gone for good: activity afterwards does not revive it.
    expect(await sessions.resolve(token)).toBeNull();
  });

  it('ends at its maximum age even when busy', async () => {
    const { record } = await keys.create({ role: 'viewer', province: '01', label: 'desk 3', createdBy: 'test' });
    const { token } = await sessions.create({ keyId: record.id, label: record.label, role: record.role, province: record.province });
    let elapsed = 0;
    while (elapsed + IDLE_MS / 2 < SESSION_MAX_AGE_MS) {
      later(IDLE_MS / 2);
      elapsed += IDLE_MS / 2;
      expect(await sessions.resolve(token)).not.toBeNull();
    }
    later(IDLE_MS / 2);
    expect(await sessions.resolve(token)).toBeNull();
  });

  it('ends when the key is revoked, and purges dead sessions', async () => {
    const { record } = await keys.create({ role: 'broadcaster', province: null, label: 'desk 4', createdBy: 'test' });
    const { token } = await sessions.create({ keyId: record.id, label: record.label, role: record.role, province: record.province });
    await keys.revoke(record.id);
    expect(await sessions.resolve(token)).toBeNull();

    const model = consoleSessionModel(db.connection);
    const { record: other } = await keys.create({ role: 'viewer', province: null, label: 'desk 5', createdBy: 'test' });
    await sessions.create({ keyId: other.id, label: other.label, role: other.role, province: other.province });
    const before = await model.countDocuments();
    expect(before).toBeGreaterThan(0);
    later(IDLE_MS + 1);
    expect(await sessions.purgeExpired()).toBe(before);
    expect(await model.countDocuments()).toBe(0);
  });

  it('compares CSRF tokens exactly', () => {
    const token = 'abc';
    expect(csrfMatches(token, csrfTokenFor(token))).toBe(true);
    expect(csrfMatches(token, undefined)).toBe(false);
    expect(csrfMatches(token, csrfTokenFor('abd'))).toBe(false);
    expect(csrfMatches(token, `${csrfTokenFor(token)}=`)).toBe(false);
  });
});
