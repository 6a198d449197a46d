import { Claims } from '../../src/db/claims.js';
import { claimModel } from '../../src/db/models/claim.js';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { domainModels } from '../../src/domain/deps.js';
import { createDomain, type Domain } from '../../src/domain/domain.js';
import { LOCKOUT_THRESHOLD, RECORD_LOCKOUT_THRESHOLD } from '../../src/domain/identity.js';
import { Notifier } from '../../src/domain/notifier.js';
import { Translator } from '../../src/i18n/i18n.js';
import { createLogger } from '../../src/logger.js';
import { PiiCipher } from '../../src/security/pii-crypto.js';
import type { ChatKey } from '../../src/messaging/types.js';
import { connectTestMongoose, type TestMongoose } from '../support/db.js';
import { TEST_PII_ENV } from '../support/keys.js';
import { PERSONAS, seedPersonas } from '../support/personas.js';

const HOUR = 3600 * 1000;

describe('IdentityService lockout, on a controlled clock', () => {
  let db: TestMongoose;
  let domain: Domain;
  let ids: Record<string, string>;
  let clock = new Date('2026-11-23T03:00:00Z');

  beforeAll(async () => {
    db = await connectTestMongoose();
    const config = loadConfig({ NODE_ENV: 'test', MONGODB_URI: db.uri, ...TEST_PII_ENV });
    const logger = createLogger('silent', new Writable({ write: (_c, _e, done) => done() }));
    const notifier = new Notifier(await Translator.create(), async () => 'vi', 'vi', logger);
    domain = createDomain({ connection: db.connection, models: domainModels(db.connection), claims: new Claims(claimModel(db.connection), () => clock.getTime()), cipher: PiiCipher.fromEnv(config.pii), notifier, config, logger, now: () => clock });
    ids = await seedPersonas(domain);
  });
  afterAll(async () => {
    await db.drop();
  });

  const chat = (chatId: string): ChatKey => ({ channel: 'simulator', chatId });
  const right = { birthDate: PERSONAS.an.birthDate, phone: PERSONAS.an.phones[0]! };

  it('finds records by either identifier, and never by a wrong one', async () => {
    expect(await domain.identity.findBeneficiaryId('bhxh', PERSONAS.an.bhxhCode)).toBe(ids.an);
    expect(await domain.identity.findBeneficiaryId('cccd', PERSONAS.an.cccd)).toBe(ids.an);
    expect(await domain.identity.findBeneficiaryId('cccd', '001052099999')).toBeNull();
  });

  it('a success clears earlier failures of the chat', async () => {
    for (let i = 0; i < LOCKOUT_THRESHOLD - 1; i++) {
      expect((await domain.identity.verifySelf(chat('a'), { beneficiaryId: ids.binh!, birthDate: '1955-11-21', phone: '0987654321' })).status).toBe('mismatch');
    }
    expect((await domain.identity.verifySelf(chat('a'), { beneficiaryId: ids.binh!, birthDate: '1955-11-20', phone: '0987654321' })).status).toBe('ok');
    expect((await domain.identity.verifySelf(chat('a'), { beneficiaryId: ids.binh!, birthDate: '1955-11-21', phone: '0987654321' })).status).toBe('mismatch');
    expect(await domain.identity.lockedUntil(chat('a'))).toBeNull();
  });

  it('five failures, even on unknown records, lock the chat for 24 hours; then it opens again', async () => {
    for (let i = 0; i < LOCKOUT_THRESHOLD - 1; i++) {
      expect((await domain.identity.verifySelf(chat('b'), { beneficiaryId: null, ...right })).status).toBe('mismatch');
    }
    const fifth = await domain.identity.verifySelf(chat('b'), { beneficiaryId: ids.an!, birthDate: '1952-03-06', phone: right.phone });
    expect(fifth).toEqual({ status: 'locked', until: new Date(clock.getTime() + 24 * HOUR) });
    // Even the right answers are refused in this chat while it is locked; the record stays open to others (its owner).
    expect((await domain.identity.verifySelf(chat('b'), { beneficiaryId: ids.an!, ...right })).status).toBe('locked');
    expect(await domain.identity.lockedUntil(chat('other'), ids.an)).toBeNull();
    clock = new Date(clock.getTime() + 24 * HOUR + 1000);
    expect(await domain.identity.lockedUntil(chat('b'), ids.an)).toBeNull();
    expect((await domain.identity.verifySelf(chat('b'), { beneficiaryId: ids.an!, ...right })).status).toBe('ok');
  });

  it('says how many tries a chat has left', async () => {
    const first = await domain.identity.verifySelf(chat('t'), { beneficiaryId: null, ...right });
    expect(first).toEqual({ status: 'mismatch', triesLeft: LOCKOUT_THRESHOLD - 1 });
    const second = await domain.identity.verifySelf(chat('t'), { beneficiaryId: null, ...right });
    expect(second).toEqual({ status: 'mismatch', triesLeft: LOCKOUT_THRESHOLD - 2 });
  });

  it('failures against one record from many chats lock that record at a higher limit; its owner opens it with a platform-verified phone', async () => {
    const wrong = { beneficiaryId: ids.cuong!, birthDate: '1941-07-15' };
    for (let i = 0; i < RECORD_LOCKOUT_THRESHOLD - 1; i++) await domain.identity.verifyRelative(chat(`c${i}`), wrong);
    expect(await domain.identity.lockedUntil(chat('c-fresh'), ids.cuong)).toBeNull();
    await domain.identity.verifyRelative(chat('c-last'), wrong);
    expect(await domain.identity.lockedUntil(chat('c-fresh'), ids.cuong)).not.toBeNull();
    expect(await domain.identity.lockedUntil(chat('c-fresh'))).toBeNull();
    const owner = { beneficiaryId: ids.cuong!, birthDate: PERSONAS.cuong.birthDate, phone: PERSONAS.cuong.phones[0]! };
    // Typed, the phone proves nothing: still locked. Shared with the platform's own contact button: opens.
    expect((await domain.identity.verifySelf(chat('c-owner'), owner)).status).toBe('locked');
    expect((await domain.identity.verifySelf(chat('c-owner'), { ...owner, verifiedPhone: true })).status).toBe('ok');
    expect(await domain.identity.lockedUntil(chat('c-fresh'), ids.cuong)).toBeNull();
  });

  it('purges attempts too old to matter', async () => {
    const total = await db.connection.collection('identity_attempts').countDocuments();
    expect(total).toBeGreaterThan(0);
    expect(await domain.identity.purgeOld(clock)).toBe(0);
    expect(await domain.identity.purgeOld(new Date(clock.getTime() + 72 * HOUR))).toBe(total);
  });
  // Last: the burst locks the record for the tests after it.
  it('runs at most 5 checks per chat and record however many answers arrive at once; the right one after them is refused', async () => {
    const wrong = { beneficiaryId: ids.binh!, birthDate: '1955-11-21', phone: '0987654321' };
    const answers = await Promise.all(Array.from({ length: 10 }, () => domain.identity.verifySelf(chat('burst'), wrong)));
    expect(answers.filter((a) => a.status !== 'locked').length).toBeLessThanOrEqual(5);
    expect(await new Claims(claimModel(db.connection), () => clock.getTime()).used(`identity:simulator:burst:${ids.binh!}`, 24 * HOUR)).toBeLessThanOrEqual(5);
    expect((await domain.identity.verifySelf(chat('burst'), { ...wrong, birthDate: '1955-11-20' })).status).toBe('locked');
  });
});
