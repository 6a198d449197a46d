import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { testMongoUri } from '../support/db.js';
import { importAndWait, IMPORTS_ADMIN_KEY } from '../support/imports-api.js';
import { PERSONAS, seedPersonas, type PersonaName } from '../support/personas.js';
import { beneficiaryLinkModel } from '../../src/db/models/beneficiary-link.js';
import { chatUserModel } from '../../src/db/models/chat-user.js';
import { simulatorMessageModel } from '../../src/db/models/simulator-message.js';
import { domainModels } from '../../src/domain/deps.js';
import { PaymentNotices } from '../../src/domain/payment-notices.js';
import { Claims } from '../../src/db/claims.js';
import { claimModel } from '../../src/db/models/claim.js';
import { createLogger } from '../../src/logger.js';

let app: TestApp;
let ids: Record<PersonaName, string>;
const HEADER = 'bhxh_code,period,amount,method,status,date,destination';
const sim = (chatId: string) => ({ channel: 'simulator' as const, chatId });
/** Texts the bot sent to a simulator chat, oldest first. */
const told = async (chatId: string) =>
  (await simulatorMessageModel(app.connection).find({ chatId, direction: 'out' }).sort({ _id: 1 }).lean()).map((r) => (r.message as { text: string }).text);

beforeAll(async () => {
  app = await startTestApp({ MONGODB_URI: testMongoUri(), ADMIN_BOOTSTRAP_KEY: IMPORTS_ADMIN_KEY, SIMULATOR_ENABLED: 'true', BROADCAST_QUIET_HOURS: 'off' });
  ids = await seedPersonas(app.domain);
  const now = new Date();
  await chatUserModel(app.connection).insertMany(
    ['pn-binh', 'pn-son', 'pn-quiet', 'pn-an'].map((chatId) => ({ channel: 'simulator', chatId, platformUserId: chatId, locale: 'vi', subscribed: chatId !== 'pn-quiet', blocked: false, firstSeenAt: now, lastSeenAt: now, consents: [] })),
  );
  await app.domain.links.createSelfLink(sim('pn-binh'), ids.binh, 'test');
  await app.domain.links.createSelfLink(sim('pn-an'), ids.an, 'test');
  // Bình's son is an approved relative; another relative unsubscribed (opted out of notices).
  const relative = (chatId: string) => ({ channel: 'simulator', chatId, beneficiaryId: ids.binh, provinceCode: '01', role: 'authorised', relationship: 'child', status: 'active', consentVersion: 'test' });
  await beneficiaryLinkModel(app.connection).insertMany([relative('pn-son'), relative('pn-quiet')]);
});
afterAll(async () => {
  await app.stop();
});

describe('payment-arrival notices', () => {
  it('tells the pensioner and each approved relative once when the ledger marks a period paid, and nothing on a re-import', async () => {
    const period = new Date().toISOString().slice(0, 7);
    const csv = [HEADER, `${PERSONAS.binh.bhxhCode},${period},5120000,bank,paid,05/${period.slice(5, 7)}/${period.slice(0, 4)},970405 1500205123456`, `${PERSONAS.an.bhxhCode},${period},4350000,cash_post,scheduled,,`].join('\n');
    await importAndWait(app, 'ledger', csv);
    expect(await app.domain.paymentNotices.sendDue()).toMatchObject({ payments: 1, sent: 2, undelivered: 0 });
    const month = `${period.slice(5, 7)}/${period.slice(0, 4)}`;
    expect(await told('pn-binh')).toEqual([`Lương hưu tháng ${month}: 5.120.000 đ đã chuyển vào tài khoản ****3456 ngày 05/${month}.`]);
    expect(await told('pn-son')).toEqual([`Lương hưu tháng ${month} của Trần Thị Bình: 5.120.000 đ đã chuyển vào tài khoản ****3456 ngày 05/${month}.`]);
    expect(await told('pn-quiet')).toEqual([]);
    expect(await told('pn-an')).toEqual([]);
    // The full account number never reaches a chat.
    expect(JSON.stringify(await told('pn-son'))).not.toContain('1500205123456');

    // Re-importing the same file, and running again, tell nobody twice.
    await importAndWait(app, 'ledger', csv);
    expect(await app.domain.paymentNotices.sendDue()).toMatchObject({ payments: 0, sent: 0 });
    expect(await told('pn-binh')).toHaveLength(1);

    // The bank returns it: one more notice each, saying what to do; An's cash payment goes out too.
    const returned = csv.replace('bank,paid,', 'bank,returned,').replace('cash_post,scheduled,,', `cash_post,paid,06/${month},`);
    await importAndWait(app, 'ledger', returned);
    expect(await app.domain.paymentNotices.sendDue()).toMatchObject({ payments: 2, sent: 3 });
    expect((await told('pn-binh')).at(-1)).toMatch(/bị ngân hàng trả lại, tiền không mất\. Ông\/Bà vui lòng gọi BHXH .+ để nhận lại hoặc đổi tài khoản\./);
    expect((await told('pn-son')).at(-1)).toContain('của Trần Thị Bình (5.120.000 đ) bị ngân hàng trả lại');
    expect(await told('pn-an')).toEqual([`Lương hưu tháng ${month}: 4.350.000 đ đã được chi trả ngày 06/${month}.`]);
    for (const chat of ['pn-binh', 'pn-son', 'pn-an']) for (const text of await told(chat)) expect(text.length).toBeLessThanOrEqual(300);
  });

  it('waits through the night, and two runs at once send each notice once', async () => {
    const models = domainModels(app.connection);
    const claims = new Claims(claimModel(app.connection));
    const make = (now: Date) =>
      new PaymentNotices({
        models,
        audience: app.domain.audience,
        claims,
        notify: (chat, ...replies) => app.notifier.notify(chat, ...replies),
        bhxhHotline: '1900 9068',
        quietHours: { start: '21:00', end: '07:00' },
        timeZone: 'Asia/Ho_Chi_Minh',
        logger: createLogger('silent'),
        now: () => now,
      });
    const period = '2099-01';
    await models.payments.create({ beneficiaryId: ids.an, bhxhCode: PERSONAS.an.bhxhCode, provinceCode: '01', period, amount: 4_350_000, method: 'cash_post', status: 'paid', date: '2099-01-05' });
    // 23:00 in Vietnam: postponed, nothing sent.
    expect(await make(new Date('2026-12-03T16:00:00Z')).sendDue()).toMatchObject({ postponed: true, sent: 0 });
    const before = (await told('pn-an')).length;
    // 09:00 the next morning in Vietnam.
    const morning = new Date(Date.now() + 24 * 3600_000 - ((Date.now() + 7 * 3600_000) % (24 * 3600_000)) + 9 * 3600_000);
    const runs = await Promise.all([make(morning).sendDue(), make(morning).sendDue()]);
    expect(runs.reduce((n, r) => n + r.sent, 0)).toBe(1);
    expect(await told('pn-an')).toHaveLength(before + 1);
  });
});
