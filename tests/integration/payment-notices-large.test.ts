/**
 * Payment-arrival notices at the size of a province's monthly ledger, on a
 * database of their own: 10 000 paid rows, of whom 200 pensioners talk to the
 * bot and 40 of them have an approved relative who does too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { testMongoUri } from '../support/db.js';
import { importAndWait, IMPORTS_ADMIN_KEY } from '../support/imports-api.js';
import { insertRegister } from '../support/register-seed.js';
import { beneficiaryModel } from '../../src/db/models/beneficiary.js';
import { beneficiaryLinkModel } from '../../src/db/models/beneficiary-link.js';
import { chatUserModel } from '../../src/db/models/chat-user.js';
import { simulatorMessageModel } from '../../src/db/models/simulator-message.js';

const ROWS = 10_000;
const FIRST = 60_000;
/** Every 50th person in the register linked their own chat; the first 40 of those also have a relative. */
const LINKED = Array.from({ length: ROWS / 50 }, (_, k) => FIRST + k * 50);
const WITH_RELATIVE = LINKED.slice(0, 40);
const HEADER = 'bhxh_code,period,amount,method,status,date,destination';

let app: TestApp;
const codeOf = (n: number) => `01${String(n).padStart(8, '0')}`;

beforeAll(async () => {
  app = await startTestApp({ MONGODB_URI: testMongoUri(), ADMIN_BOOTSTRAP_KEY: IMPORTS_ADMIN_KEY, SIMULATOR_ENABLED: 'true', BROADCAST_QUIET_HOURS: 'off' });
  // The register is written straight in (its import has tests of its own); the ledger goes through the import staff use.
  for (let start = 0; start < ROWS; start += 1000) {
    await insertRegister(app, Array.from({ length: 1000 }, (_, k) => ({ bhxhCode: codeOf(FIRST + start + k), fullName: `Nguyễn Văn Thử ${FIRST + start + k}` })));
  }
  const people = await beneficiaryModel(app.connection).find({ bhxhCode: { $in: LINKED.map(codeOf) } }, { bhxhCode: 1 }).lean();
  const idOf = new Map(people.map((p) => [p.bhxhCode, p._id]));
  const now = new Date();
  const chats = [...LINKED.map((n) => `own-${n}`), ...WITH_RELATIVE.map((n) => `rel-${n}`)];
  await chatUserModel(app.connection).insertMany(chats.map((chatId) => ({ channel: 'simulator', chatId, platformUserId: chatId, locale: 'vi', subscribed: true, blocked: false, firstSeenAt: now, lastSeenAt: now, consents: [] })));
  const link = (chatId: string, n: number, role: 'self' | 'authorised') => ({
    channel: 'simulator', chatId, beneficiaryId: idOf.get(codeOf(n)), provinceCode: '01', role, status: 'active', consentVersion: 'test', ...(role === 'self' ? {} : { relationship: 'child' }),
  });
  await beneficiaryLinkModel(app.connection).insertMany([...LINKED.map((n) => link(`own-${n}`, n, 'self')), ...WITH_RELATIVE.map((n) => link(`rel-${n}`, n, 'authorised'))]);
}, 180_000);
afterAll(async () => {
  await app?.stop();
});

/** Runs the notice job until nothing is due, as the scheduler would every few minutes. */
async function sendAllDue(): Promise<{ payments: number; sent: number; runs: number }> {
  const total = { payments: 0, sent: 0, runs: 0 };
  for (;;) {
    const run = await app.domain.paymentNotices.sendDue();
    total.runs++;
    if (run.payments === 0) return total;
    total.payments += run.payments;
    total.sent += run.sent;
  }
}

const outCount = (filter: Record<string, unknown> = {}) => simulatorMessageModel(app.connection).countDocuments({ direction: 'out', ...filter });

describe('payment-arrival notices for a whole ledger', () => {
  it('a ledger of 10 000 paid rows tells each linked person exactly once; a re-import tells nobody; a returned payment tells its people what to do', { timeout: 240_000 }, async () => {
    const period = new Date().toISOString().slice(0, 7);
    const [year, month] = period.split('-');
    const ledger = `${HEADER}\n${Array.from({ length: ROWS }, (_, i) => `${codeOf(FIRST + i)},${period},4350000,cash_post,paid,05/${month}/${year},`).join('\n')}\n`;
    expect(await importAndWait(app, 'ledger', ledger)).toMatchObject({ status: 'done', failed: 0 });

    const started = Date.now();
    const first = await sendAllDue();
    const seconds = (Date.now() - started) / 1000;
    console.log(`payment notices: ${first.sent} notices for ${ROWS} ledger rows (${LINKED.length} linked) in ${seconds.toFixed(1)} s, ${first.runs} runs`);
    expect(first).toMatchObject({ payments: LINKED.length, sent: LINKED.length + WITH_RELATIVE.length });
    expect(await outCount()).toBe(LINKED.length + WITH_RELATIVE.length);
    for (const n of [LINKED[0]!, LINKED[77]!, LINKED.at(-1)!]) expect(await outCount({ chatId: `own-${n}` })).toBe(1);
    expect(await outCount({ chatId: `rel-${WITH_RELATIVE[5]}` })).toBe(1);
    const [told] = await simulatorMessageModel(app.connection).find({ chatId: `own-${LINKED[3]}`, direction: 'out' }).lean();
    expect((told!.message as { text: string }).text).toBe(`Lương hưu tháng ${month}/${year}: 4.350.000 đ đã được chi trả ngày 05/${month}/${year}.`);

    // The same file again: nothing new, nobody told twice.
    await importAndWait(app, 'ledger', ledger);
    expect(await sendAllDue()).toMatchObject({ payments: 0, sent: 0 });
    expect(await outCount()).toBe(LINKED.length + WITH_RELATIVE.length);

    // The bank returns one person's payment: they and their relative hear what to do next.
    const n = WITH_RELATIVE[1]!;
    await importAndWait(app, 'ledger', `${HEADER}\n${codeOf(n)},${period},4350000,bank,returned,06/${month}/${year},970405 1500205123456\n`);
    expect(await sendAllDue()).toMatchObject({ payments: 1, sent: 2 });
    const last = await simulatorMessageModel(app.connection).find({ chatId: `own-${n}`, direction: 'out' }).sort({ _id: -1 }).limit(1).lean();
    expect((last[0]!.message as { text: string }).text).toMatch(/bị ngân hàng trả lại, tiền không mất\. Ông\/Bà vui lòng gọi BHXH .+ để nhận lại hoặc đổi tài khoản\./);
    expect(await outCount({ chatId: `rel-${n}` })).toBe(2);
  });
});
