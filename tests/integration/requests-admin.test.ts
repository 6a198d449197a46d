import { DomainError } from '../../src/domain/errors.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beneficiaryModel } from '../../src/db/models/beneficiary.js';
import { paymentMethodRequestModel } from '../../src/db/models/payment-method-request.js';
import type { ChatKey } from '../../src/messaging/types.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { testMongoUri } from '../support/db.js';
import { CASHLESS_ENV, adminCall, createStaffKey, seedPerson } from '../support/cashless-helpers.js';

interface View {
  id: string;
  reference: string;
  status: string;
  provinceCode: string;
  notMe: boolean;
  beneficiary: { fullName: string; bhxhCodeMasked: string };
  method: { accountMasked: string | null; nameMatches: boolean | null };
}

let app: TestApp;
let reviewer01: string;
let reviewer31: string;
let viewer01: string;

/** A bank request submitted through the domain, as the flow does after its questions. */
async function bankRequest(n: number, opts: { province?: string; holder?: string; account?: string } = {}): Promise<{ reference: string; bhxhCode: string; id: string }> {
  const person = await seedPerson(app, n, { provinceCode: opts.province ?? '01', fullName: 'Hoàng Văn Nam' });
  const chat: ChatKey = { channel: 'simulator', chatId: `sim-${n}` };
  await app.domain.links.createSelfLink(chat, person.id, 'test');
  const service = app.domain.paymentMethods;
  const account = service.sealAccount(opts.account ?? '0451000123456');
  const result = await service.submit(chat, person.id, { kind: 'bank', bankBin: '970436', account: account.sealed, holderName: opts.holder ?? 'HOANG VAN NAM' });
  if (!result.ok) throw new Error(`submit refused: ${result.reason}`);
  return { reference: result.reference, bhxhCode: person.bhxhCode, id: person.id };
}

describe('a request for the method already on file', () => {
  it('is refused with its own reason: nothing queued for staff, no alert', async () => {
    const person = await seedPerson(app, 190, { provinceCode: '01', fullName: 'Hoàng Văn Nam' });
    const chat: ChatKey = { channel: 'simulator', chatId: 'sim-190' };
    await app.domain.links.createSelfLink(chat, person.id, 'test');
    const service = app.domain.paymentMethods;
    // Cash at the post office already (seedPerson): asking for it again is refused.
    expect(await service.submit(chat, person.id, { kind: 'cash_post' })).toEqual({ ok: false, reason: 'same_as_current' });
    // Now paid into this account: the same account again is refused, another one goes to staff.
    await beneficiaryModel(app.connection).updateOne(
      { _id: person.id },
      { $set: { paymentMethod: { kind: 'bank', bankBin: '970436', accountIndex: app.domain.beneficiaries.toStored({ bhxhCode: '0100000000', fullName: 'x', birthDate: '1950-01-01', gender: 'male', phones: [], provinceCode: '01', benefitType: 'pension', monthlyAmount: 1, paymentMethod: { kind: 'bank', bankBin: '970436', account: '0451000999888' } }).paymentMethod.accountIndex } } },
    );
    const same = await service.submit(chat, person.id, { kind: 'bank', bankBin: '970436', account: service.sealAccount('0451000999888').sealed, holderName: 'HOANG VAN NAM' });
    expect(same).toEqual({ ok: false, reason: 'same_as_current' });
    expect(await paymentMethodRequestModel(app.connection).countDocuments({ beneficiaryId: person.id })).toBe(0);
    const other = await service.submit(chat, person.id, { kind: 'bank', bankBin: '970436', account: service.sealAccount('0451000111222').sealed, holderName: 'HOANG VAN NAM' });
    expect(other.ok).toBe(true);
  });
});

/** Each race runs this many times: on FerretDB without a guard, a single race shows a second winner only some of the time. */
const RACE_ROUNDS = 4;

/** Messages the bot sent to a simulator chat. */
async function outgoing(chatId: string): Promise<unknown[]> {
  return app.connection.collection('simulator_messages').find({ chatId, direction: 'out' }).toArray();
}

/** Approve and reject audit rows about one request. */
async function auditRows(id: string): Promise<unknown[]> {
  const rows = await Promise.all(
    ['approve', 'reject'].map(async (verb) => (await adminCall<{ items: { target: { id: string } }[] }>(app, 'GET', `/audit?action=payment_request.${verb}`)).body.items),
  );
  return rows.flat().filter((e) => e.target.id === id);
}

beforeAll(async () => {
  app = await startTestApp({ MONGODB_URI: testMongoUri(), SIMULATOR_ENABLED: 'true', ...CASHLESS_ENV });
  reviewer01 = await createStaffKey(app, 'reviewer', '01');
  reviewer31 = await createStaffKey(app, 'reviewer', '31');
  viewer01 = await createStaffKey(app, 'viewer', '01');
});

afterAll(async () => {
  await app.stop();
});

describe('payment-method requests admin API', () => {
  it('lists by status and province with masked accounts, the name flag and the beneficiary', async () => {
    const mismatch = await bankRequest(101, { holder: 'TRAN VAN BA' });
    const other = await bankRequest(102, { province: '31' });
    const listed = await adminCall<{ items: View[] }>(app, 'GET', '/requests?status=submitted&province=01', { key: viewer01 });
    expect(listed.status).toBe(200);
    const row = listed.body.items.find((i) => i.reference === mismatch.reference);
    expect(row).toMatchObject({ provinceCode: '01', notMe: false, beneficiary: { fullName: 'Hoàng Văn Nam', bhxhCodeMasked: '******0101' }, method: { accountMasked: '*********3456', nameMatches: false } });
    expect(listed.body.items.some((i) => i.reference === other.reference)).toBe(false);
    expect(listed.text).not.toContain('0451000123456');
    expect(listed.text).not.toContain(mismatch.bhxhCode);
  });

  it('keeps a province reviewer to its province: others are invisible and answer 404', async () => {
    const inHanoi = await bankRequest(103);
    const seen = await adminCall<{ items: View[] }>(app, 'GET', '/requests', { key: reviewer31 });
    expect(seen.status).toBe(200);
    expect(seen.body.items.every((i) => i.provinceCode === '31')).toBe(true);
    expect(seen.body.items.some((i) => i.reference === inHanoi.reference)).toBe(false);
    expect((await adminCall(app, 'GET', `/requests/${inHanoi.reference}`, { key: reviewer31 })).status).toBe(404);
    expect((await adminCall(app, 'POST', `/requests/${inHanoi.reference}/approve`, { key: reviewer31, body: {} })).status).toBe(404);
    expect((await adminCall(app, 'POST', `/beneficiaries/${inHanoi.bhxhCode}/freeze`, { key: reviewer31 })).status).toBe(404);
    expect((await adminCall(app, 'GET', '/requests?province=01', { key: reviewer31 })).status).toBe(403);
    const csv = await adminCall(app, 'GET', '/requests/export.csv?status=submitted', { key: reviewer31 });
    expect(csv.text).not.toContain(inHanoi.reference);
  });

  it('lets a viewer read but not decide, export or freeze (403)', async () => {
    const request = await bankRequest(104);
    expect((await adminCall(app, 'GET', `/requests/${request.reference}`, { key: viewer01 })).status).toBe(200);
    expect((await adminCall(app, 'POST', `/requests/${request.reference}/approve`, { key: viewer01, body: {} })).status).toBe(403);
    expect((await adminCall(app, 'POST', `/requests/${request.reference}/reject`, { key: viewer01, body: { reason: 'không rõ' } })).status).toBe(403);
    expect((await adminCall(app, 'GET', '/requests/export.csv', { key: viewer01 })).status).toBe(403);
    expect((await adminCall(app, 'POST', `/beneficiaries/${request.bhxhCode}/freeze`, { key: viewer01 })).status).toBe(403);
    const still = await adminCall<View>(app, 'GET', `/requests/${request.reference}`, { key: viewer01 });
    expect(still.body.status).toBe('submitted');
  });

  it('decides once: a second approval or a rejection after it answers 409, even when sent together', async () => {
    const request = await bankRequest(105);
    const [a, b] = await Promise.all([
      adminCall(app, 'POST', `/requests/${request.reference}/approve`, { key: reviewer01, body: {} }),
      adminCall(app, 'POST', `/requests/${request.reference}/approve`, { key: reviewer01, body: {} }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const again = await adminCall<{ code: string }>(app, 'POST', `/requests/${request.reference}/reject`, { key: reviewer01, body: { reason: 'đổi ý' } });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('already_decided');
    const audit = await adminCall<{ items: { action: string; target: { id: string } }[] }>(app, 'GET', '/audit?action=payment_request.approve');
    expect(audit.body.items.filter((e) => e.target.id === (a.status === 200 ? (a.body as View).id : (b.body as View).id))).toHaveLength(1);
  });

  it('decides once among many reviewers at once: one 200, one message to the requester, one audit row', async () => {
    for (let round = 0; round < RACE_ROUNDS; round++) {
      const request = await bankRequest(140 + round);
      const answers = await Promise.all(
        Array.from({ length: 16 }, (_, i) =>
          i % 2 === 0
            ? adminCall<View>(app, 'POST', `/requests/${request.reference}/approve`, { key: reviewer01, body: {} })
            : adminCall<View>(app, 'POST', `/requests/${request.reference}/reject`, { key: reviewer01, body: { reason: 'trùng' } }),
        ),
      );
      expect(answers.map((a) => a.status).sort()).toEqual([200, ...Array<number>(15).fill(409)]);
      expect(await outgoing(`sim-${140 + round}`)).toHaveLength(1);
      expect(await auditRows(answers.find((a) => a.status === 200)!.body.id)).toHaveLength(1);
    }
  });

  it('freezes once on a burst of "this was not me": one freeze (and its staff alert), the rest told it is already frozen', async () => {
    for (let round = 0; round < RACE_ROUNDS; round++) {
      const request = await bankRequest(150 + round);
      const chat: ChatKey = { channel: 'simulator', chatId: `sim-${150 + round}` };
      const results = await Promise.all(Array.from({ length: 12 }, () => app.domain.paymentMethods.reportNotMe(request.reference, chat)));
      expect(results.sort()).toEqual([...Array<string>(11).fill('already_frozen'), 'frozen']);
      const logged = app.logs.lines.map((l) => JSON.parse(l) as { event?: string; reference?: string });
      expect(logged.filter((l) => l.event === 'payment_request_not_me' && l.reference === request.reference)).toHaveLength(1);
    }
  });

  it('never lets an approval overwrite a "this was not me" freeze that raced it', async () => {
    for (let round = 0; round < RACE_ROUNDS; round++) {
      const request = await bankRequest(160 + round);
      const chat: ChatKey = { channel: 'simulator', chatId: `sim-${160 + round}` };
      const [approvals, notMe] = await Promise.all([
        Promise.all(Array.from({ length: 10 }, () => adminCall(app, 'POST', `/requests/${request.reference}/approve`, { key: reviewer01, body: {} }))),
        Promise.all(Array.from({ length: 10 }, () => app.domain.paymentMethods.reportNotMe(request.reference, chat))),
      ]);
      // Either order is fine (a freeze also stops an approved change), but the freeze must stand.
      expect(notMe.filter((r) => r === 'frozen')).toHaveLength(1);
      expect(approvals.filter((a) => a.status === 200).length).toBeLessThanOrEqual(1);
      expect((await paymentMethodRequestModel(app.connection).findOne({ reference: request.reference }).lean().exec())?.status).toBe('frozen');
    }
  });

  it('applies a due change or freezes it, never both, when the job and "this was not me" race', async () => {
    const model = paymentMethodRequestModel(app.connection);
    const requests = [];
    for (let round = 0; round < RACE_ROUNDS; round++) {
      const request = await bankRequest(170 + round, { account: '0071002233445' });
      expect((await adminCall(app, 'POST', `/requests/${request.reference}/approve`, { key: reviewer01, body: {} })).status).toBe(200);
      await model.updateOne({ reference: request.reference }, { $set: { coolingOffUntil: new Date(Date.now() - 60_000), effectiveFromPeriod: '2000-01' } }).exec();
      requests.push({ ...request, chat: { channel: 'simulator', chatId: `sim-${170 + round}` } satisfies ChatKey });
    }
    // A caller that waited past the lease's patience changed nothing and is told to retry (busy): it retries, as the job and the chat do.
    const retryBusy = async <T>(call: () => Promise<T>): Promise<T> => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await call();
        } catch (err) {
          if (!(err instanceof DomainError && err.code === 'busy') || attempt === 5) throw err;
        }
      }
    };
    const [runs, ...notMe] = await Promise.all([
      Promise.all(Array.from({ length: 8 }, () => retryBusy(() => app.domain.paymentMethods.applyEffective('01')))),
      ...requests.map((r) => Promise.all(Array.from({ length: 8 }, () => retryBusy(() => app.domain.paymentMethods.reportNotMe(r.reference, r.chat))))),
    ]);
    let effective = 0;
    for (const [i, request] of requests.entries()) {
      const status = (await model.findOne({ reference: request.reference }).lean().exec())?.status;
      const person = await beneficiaryModel(app.connection).findById(request.id).lean().exec();
      const frozenBy = notMe[i]!.filter((r) => r === 'frozen');
      if (status === 'effective') {
        effective++;
        expect(person?.paymentMethod).toMatchObject({ kind: 'bank', accountMasked: '*********3445' });
        expect(frozenBy).toHaveLength(0);
      } else {
        expect(status).toBe('frozen');
        expect(person?.paymentMethod.kind).not.toBe('bank');
        expect(frozenBy).toHaveLength(1);
      }
    }
    expect(runs.reduce((sum, r) => sum + r.applied, 0)).toBe(effective);
  });

  it('lets staff reject a change frozen by "this was not me" after its approval', async () => {
    const request = await bankRequest(134);
    expect((await adminCall(app, 'POST', `/requests/${request.reference}/approve`, { key: reviewer01, body: {} })).status).toBe(200);
    expect(await app.domain.paymentMethods.reportNotMe(request.reference, { channel: 'simulator', chatId: 'sim-134' })).toBe('frozen');
    const rejected = await adminCall<View>(app, 'POST', `/requests/${request.reference}/reject`, { key: reviewer01, body: { reason: 'Không phải chủ tài khoản' } });
    expect(rejected.status).toBe(200);
    expect(rejected.body.status).toBe('rejected');
  });

  it('rejects with a reason and refuses an empty one', async () => {
    const request = await bankRequest(106);
    expect((await adminCall(app, 'POST', `/requests/${request.reference}/reject`, { key: reviewer01, body: { reason: '' } })).status).toBe(400);
    const rejected = await adminCall<View & { reviewReason: string }>(app, 'POST', `/requests/${request.reference}/reject`, { key: reviewer01, body: { reason: 'Sai số tài khoản' } });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', reviewReason: 'Sai số tài khoản' });
  });

  it('exports approved rows with the full account as UTF-8 CSV with BOM, and audits the export', async () => {
    const request = await bankRequest(107, { account: '0071009988776' });
    const pending = await bankRequest(108); // submitted, not approved: not in the export
    expect((await adminCall(app, 'POST', `/requests/${request.reference}/approve`, { key: reviewer01, body: {} })).status).toBe(200);
    const res = await fetch(`${app.url}/admin/api/requests/export.csv?status=approved&province=01`, { headers: { authorization: `Bearer ${reviewer01}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes).slice(1);
    const [header, ...rows] = text.trim().split('\r\n');
    expect(header).toBe('reference,bhxh_code,full_name,method,bank_bin,bank_name,account_number,holder_name,effective_period');
    const row = rows.find((r) => r.startsWith(request.reference));
    expect(row).toMatch(new RegExp(`^${request.reference},${request.bhxhCode},Hoàng Văn Nam,bank,970436,Vietcombank,0071009988776,HOANG VAN NAM,\\d{4}-\\d{2}$`));
    expect(rows.some((r) => r.startsWith(pending.reference))).toBe(false);

    const audit = await adminCall<{ items: { action: string; actor: { province: string | null }; details: Record<string, unknown> }[] }>(app, 'GET', '/audit?action=payment_request.export');
    expect(audit.body.items[0]).toMatchObject({ actor: { province: '01' }, details: { status: 'approved', province: '01' } });
    expect(JSON.stringify(audit.body)).not.toContain('0071009988776');
  });

  it('puts approved changes into effect once cooling-off and period have come, once', async () => {
    const request = await bankRequest(109, { account: '0071005544332' });
    const approved = await adminCall<View>(app, 'POST', `/requests/${request.reference}/approve`, { key: reviewer01, body: {} });
    expect(approved.status).toBe(200);
    // Not due yet: the cooling-off runs for days.
    expect((await adminCall<{ applied: number }>(app, 'POST', '/requests/apply-effective')).body.applied).toBe(0);
    // Let the cooling-off and the period pass (the clock is the database's here).
    await paymentMethodRequestModel(app.connection)
      .updateOne({ reference: request.reference }, { $set: { coolingOffUntil: new Date(Date.now() - 60_000), effectiveFromPeriod: '2000-01' } })
      .exec();
    expect((await adminCall(app, 'POST', '/requests/apply-effective', { key: reviewer01 })).status).toBe(403);
    const first = await adminCall<{ applied: number }>(app, 'POST', '/requests/apply-effective');
    expect(first.body.applied).toBeGreaterThanOrEqual(1);
    expect((await adminCall<{ applied: number }>(app, 'POST', '/requests/apply-effective')).body.applied).toBe(0);
    const view = await adminCall<View>(app, 'GET', `/requests/${request.reference}`);
    expect(view.body.status).toBe('effective');
    const person = await beneficiaryModel(app.connection).findById(request.id).lean().exec();
    expect(person?.paymentMethod).toMatchObject({ kind: 'bank', bankBin: '970436', accountMasked: '*********4332', since: '2000-01' });
    expect(person?.lastMethodChangeAt).toBeInstanceOf(Date);
  });

  it('takes over a change left half-applied by a crashed run, and puts a frozen beneficiary\'s change back', async () => {
    const model = paymentMethodRequestModel(app.connection);
    const stuck = await bankRequest(120);
    expect((await adminCall(app, 'POST', `/requests/${stuck.reference}/approve`, { key: reviewer01, body: {} })).status).toBe(200);
    // A run claimed it an hour ago and died before finishing.
    await model.updateOne({ reference: stuck.reference }, { $set: { status: 'applying', applyingSince: new Date(Date.now() - 3600_000), effectiveFromPeriod: '2000-01' } }).exec();
    const frozen = await bankRequest(121);
    expect((await adminCall(app, 'POST', `/requests/${frozen.reference}/approve`, { key: reviewer01, body: {} })).status).toBe(200);
    await model.updateOne({ reference: frozen.reference }, { $set: { coolingOffUntil: new Date(Date.now() - 60_000), effectiveFromPeriod: '2000-01' } }).exec();
    expect((await adminCall(app, 'POST', `/beneficiaries/${frozen.bhxhCode}/freeze`, { key: reviewer01 })).status).toBe(200);

    const run = await adminCall<{ applied: number; skippedFrozen: number }>(app, 'POST', '/requests/apply-effective');
    expect(run.body).toMatchObject({ applied: 1, skippedFrozen: 1 });
    expect((await model.findOne({ reference: stuck.reference }).lean().exec())?.status).toBe('effective');
    // Waiting for the freeze to be lifted, not lost and not half-applied.
    expect((await model.findOne({ reference: frozen.reference }).lean().exec())?.status).toBe('approved');
    expect((await beneficiaryModel(app.connection).findById(frozen.id).lean().exec())?.paymentMethod.kind).not.toBe('bank');
  });

  it('shows a pending request what an approval today would set, and nothing once decided', async () => {
    type Scheduled = View & { ifApprovedNow: { coolingOffUntil: string; effectiveFromPeriod: string } | null; coolingOffUntil: string | null; effectiveFromPeriod: string | null };
    const request = await bankRequest(111);
    const listed = await adminCall<{ items: Scheduled[] }>(app, 'GET', '/requests?status=submitted', { key: viewer01 });
    const preview = listed.body.items.find((i) => i.reference === request.reference)?.ifApprovedNow;
    expect(preview?.effectiveFromPeriod).toMatch(/^\d{4}-\d{2}$/);
    const approved = await adminCall<Scheduled>(app, 'POST', `/requests/${request.reference}/approve`, { key: reviewer01, body: {} });
    expect(approved.body.ifApprovedNow).toBeNull();
    expect(approved.body.effectiveFromPeriod).toBe(preview!.effectiveFromPeriod);
    // Same rule, a moment later: the approval's cooling-off ends no earlier, and within the same day.
    const shift = Date.parse(approved.body.coolingOffUntil!) - Date.parse(preview!.coolingOffUntil);
    expect(shift).toBeGreaterThanOrEqual(0);
    expect(shift).toBeLessThan(86_400_000);
    expect((await adminCall<Scheduled>(app, 'GET', `/requests/${request.reference}`, { key: viewer01 })).body.ifApprovedNow).toBeNull();
  });

  it('refuses approval while the beneficiary is frozen', async () => {
    const request = await bankRequest(110);
    expect((await adminCall(app, 'POST', `/beneficiaries/${request.bhxhCode}/freeze`, { key: reviewer01 })).status).toBe(200);
    const refused = await adminCall<{ code: string }>(app, 'POST', `/requests/${request.reference}/approve`, { key: reviewer01, body: {} });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('beneficiary_frozen');
    const audit = await adminCall<{ items: { target: { type: string }; details: Record<string, unknown> }[] }>(app, 'GET', '/audit?action=beneficiary.freeze');
    expect(audit.body.items[0]).toMatchObject({ target: { type: 'beneficiary' }, details: { frozen: true } });
  });

  it('never logs account numbers', () => {
    expect(app.logs.text()).not.toMatch(/0451000123456|0071009988776|0071005544332/);
    expect(app.logs.text()).not.toContain('admin_http_error');
  });
});
