import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beneficiaryLinkModel } from '../../src/db/models/beneficiary-link.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { testMongoUri } from '../support/db.js';
import { FakeZalo } from '../support/fake-zalo.js';
import { adminCall, createStaffKey } from '../support/admin-api.js';
import { TEST_ADMIN_KEY } from '../support/keys.js';
import { ZaloOaChannel } from '../../src/channels/zalo/oa-channel.js';
import { TemplateClient, templateOutcome } from '../../src/channels/zalo/template-client.js';

interface TemplateRow {
  id: string;
  name: string;
  status: string;
  params: { name: string; maxLength: number; required: boolean }[];
  gone: boolean;
}

describe('Zalo template messages (ZBS): registry and client against the fake', () => {
  let fake: FakeZalo;
  let app: TestApp;
  let viewer: string;
  const list = async () => (await adminCall<{ items: TemplateRow[] }>(app.url, TEST_ADMIN_KEY, 'GET', '/zalo/templates')).body.items;

  beforeAll(async () => {
    fake = await FakeZalo.start();
    fake.addTemplate('300101', { ho_ten: 30, ky: 7, so_tien: 12, ngay: 20 });
    fake.addTemplate('300102', { noi_dung: 200 }, { status: 'PENDING_REVIEW' });
    fake.addTemplate('300103', { noi_dung: 200 }, { status: 'DISABLE', uid: false });
    app = await startTestApp({ MONGODB_URI: testMongoUri(), SIMULATOR_ENABLED: 'false', ADMIN_BOOTSTRAP_KEY: TEST_ADMIN_KEY, ...fake.env({ oa: true }) });
    viewer = await createStaffKey(app.url, 'viewer');
  });
  afterAll(async () => {
    await app.stop();
    await fake.stop();
  });

  it('syncs the templates with their status and parameter limits, and lists them to staff', async () => {
    const synced = await adminCall(app.url, TEST_ADMIN_KEY, 'POST', '/zalo/templates/sync');
    expect(synced.status).toBe(200);
    expect(synced.body).toEqual({ templates: 3, enabled: 1, gone: 0 });
    const rows = await list();
    expect(rows.map((t) => [t.id, t.status, t.gone])).toEqual(
      expect.arrayContaining([
        ['300101', 'ENABLE', false],
        ['300102', 'PENDING_REVIEW', false],
        ['300103', 'DISABLE', false],
      ]),
    );
    expect(rows.find((t) => t.id === '300101')!.params.map((p) => [p.name, p.maxLength, p.required])).toEqual([
      ['ho_ten', 30, true],
      ['ky', 7, true],
      ['so_tien', 12, true],
      ['ngay', 20, true],
    ]);
    // A viewer reads, but does not sync.
    expect((await adminCall(app.url, viewer, 'GET', '/zalo/templates')).status).toBe(200);
    expect((await adminCall(app.url, viewer, 'POST', '/zalo/templates/sync')).status).toBe(403);
    const audit = await adminCall<{ items: { action: string }[] }>(app.url, TEST_ADMIN_KEY, 'GET', '/audit?limit=20');
    expect(audit.body.items.some((e) => e.action === 'zalo_templates.sync')).toBe(true);
  });

  it('follows Zalo: an approval, a template withdrawn (kept, marked gone), a token expired mid-way', async () => {
    fake.templates.get('300102')!.status = 'ENABLE';
    fake.templates.delete('300103');
    fake.expireAccessTokens();
    const synced = await adminCall(app.url, TEST_ADMIN_KEY, 'POST', '/zalo/templates/sync');
    expect(synced.body).toEqual({ templates: 2, enabled: 2, gone: 1 });
    const rows = await list();
    expect(rows.find((t) => t.id === '300102')!.status).toBe('ENABLE');
    expect(rows.find((t) => t.id === '300103')!.gone).toBe(true);
  });

  it("reads today's quota, and answers 502 when Zalo refuses", async () => {
    fake.dailyQuota = 1000;
    fake.usedToday = 10;
    const quota = await adminCall(app.url, viewer, 'GET', '/zalo/quota');
    expect(quota.body).toEqual({ daily: 1000, remaining: 990 });
    fake.failNext(-100, 'Unknown error, please try again later');
    const refused = await adminCall<{ code: string; message: string }>(app.url, viewer, 'GET', '/zalo/quota');
    expect(refused.status).toBe(502);
    expect(refused.body.code).toBe('zalo_unavailable');
    expect(refused.body.message).not.toMatch(/at-\d/);
  });

  it('sends by phone and by user id, and maps each refusal to its outcome', async () => {
    const oa = app.channels.get('zalo');
    if (!(oa instanceof ZaloOaChannel)) throw new Error('the Zalo OA channel is not running');
    const client = new TemplateClient({ businessApiBase: fake.url, apiBase: fake.url });
    const data = { ho_ten: 'Nguyễn Văn An', ky: '12/2026', so_tien: '4350000', ngay: '05/12/2026' };
    const send = (fn: (token: string) => Promise<string>) =>
      oa.templates.withToken(fn).then(
        (id) => ({ kind: 'sent' as const, id }),
        (err: unknown) => templateOutcome(err),
      );
    fake.zaloPhones.add('84912345678');
    fake.dailyQuota = 1000;
    fake.usedToday = 0;
    expect(await send((t) => client.sendByPhone(t, { phone: '84912345678', templateId: '300101', data, trackingId: 'd-1' }))).toMatchObject({ kind: 'sent' });
    expect(await send((t) => client.sendByUid(t, { userId: '5001', templateId: '300101', data }))).toMatchObject({ kind: 'sent' });
    const sends = fake.templateSends();
    expect(sends.map((c) => [c.path, c.to])).toEqual([
      ['/message/template', '84912345678'],
      ['/v3.0/oa/message/template', '5001'],
    ]);
    expect(sends[0]!.body).toMatchObject({ template_data: data, tracking_id: 'd-1' });

    expect(await send((t) => client.sendByPhone(t, { phone: '84900000000', templateId: '300101', data, trackingId: 'd-2' }))).toMatchObject({ kind: 'not_on_zalo', code: -118 });
    expect(await send((t) => client.sendByPhone(t, { phone: '84912345678', templateId: '300101', data: { ...data, so_tien: '1'.repeat(13) }, trackingId: 'd-3' }))).toMatchObject({ kind: 'bad_params', code: -1121 });
    expect(await send((t) => client.sendByPhone(t, { phone: '84912345678', templateId: '999999', data, trackingId: 'd-4' }))).toMatchObject({ kind: 'template_unusable', code: -109 });
    expect(await send((t) => client.sendByPhone(t, { phone: '84912345678', templateId: '300101', data, trackingId: 'd-5', development: true }))).toMatchObject({ kind: 'template_unusable', code: -127 });
    fake.refusedTemplates.add('84912345678');
    expect(await send((t) => client.sendByPhone(t, { phone: '84912345678', templateId: '300101', data, trackingId: 'd-6' }))).toMatchObject({ kind: 'refused', code: -141 });
    fake.usedToday = fake.dailyQuota;
    expect(await send((t) => client.sendByUid(t, { userId: '5002', templateId: '300101', data }))).toMatchObject({ kind: 'quota_exhausted', code: -144 });
    // An expired token is refreshed once, then the send goes through.
    fake.usedToday = 0;
    fake.expireAccessTokens();
    expect(await send((t) => client.sendByUid(t, { userId: '5003', templateId: '300101', data }))).toMatchObject({ kind: 'sent' });
  });

  it('lets an admin map a notice kind to an approved template, refusing unknown templates, unbound parameters and foreign fields', async () => {
    fake.addTemplate('300201', { ho_ten: 30, ky: 7, so_tien: 12, ngay: 20 });
    fake.addTemplate('300202', { noi_dung: 200 }, { status: 'REJECT' });
    await adminCall(app.url, TEST_ADMIN_KEY, 'POST', '/zalo/templates/sync');
    const put = (kind: string, body: unknown, key = TEST_ADMIN_KEY) => adminCall<{ code: string; field?: string; usable?: boolean; bindings?: Record<string, string> }>(app.url, key, 'PUT', `/zalo/notice-templates/${kind}`, body);
    const bindings = { ho_ten: 'full_name', ky: 'period', so_tien: 'amount', ngay: 'paid_on' };

    expect(await put('payment_credited', { templateId: '999', bindings })).toMatchObject({ status: 400, body: { code: 'template_mapping_invalid', field: 'templateId' } });
    expect(await put('payment_credited', { templateId: '300202', bindings: { noi_dung: 'amount' } })).toMatchObject({ status: 400, body: { field: 'templateId' } });
    expect(await put('payment_credited', { templateId: '300201', bindings: { ho_ten: 'full_name', ky: 'period', so_tien: 'amount' } })).toMatchObject({ status: 400, body: { field: 'bindings.ngay' } });
    expect(await put('payment_credited', { templateId: '300201', bindings: { ...bindings, ngay: 'case_number' } })).toMatchObject({ status: 400, body: { field: 'bindings.ngay' } });
    expect(await put('payment_credited', { templateId: '300201', bindings, }, viewer)).toMatchObject({ status: 403 });
    expect(await put('no_such_kind', { templateId: '300201', bindings })).toMatchObject({ status: 400 });

    const saved = await put('payment_credited', { templateId: '300201', bindings });
    expect(saved).toMatchObject({ status: 200, body: { usable: true, bindings } });
    const listed = await adminCall<{ items: { kind: string; templateId: string | null; usable: boolean; fields: string[] }[] }>(app.url, viewer, 'GET', '/zalo/notice-templates');
    expect(listed.body.items.find((m) => m.kind === 'payment_credited')).toMatchObject({ templateId: '300201', usable: true });
    expect(listed.body.items.find((m) => m.kind === 'broadcast')).toMatchObject({ templateId: null, usable: false, fields: ['title', 'text', 'hotline', 'date'] });

    // Zalo disables the template: the mapping stays, shown unusable.
    fake.templates.get('300201')!.status = 'DISABLE';
    await adminCall(app.url, TEST_ADMIN_KEY, 'POST', '/zalo/templates/sync');
    const after = await adminCall<{ items: { kind: string; usable: boolean; template: { status: string } | null }[] }>(app.url, viewer, 'GET', '/zalo/notice-templates');
    expect(after.body.items.find((m) => m.kind === 'payment_credited')).toMatchObject({ usable: false, template: { status: 'DISABLE' } });
    expect((await adminCall(app.url, TEST_ADMIN_KEY, 'DELETE', '/zalo/notice-templates/payment_credited')).status).toBe(204);
    const audit = await adminCall<{ items: { action: string }[] }>(app.url, TEST_ADMIN_KEY, 'GET', '/audit?limit=50');
    expect(audit.body.items.filter((e) => e.action.startsWith('zalo_notice_template.')).map((e) => e.action)).toEqual(['zalo_notice_template.remove', 'zalo_notice_template.set']);
  });

  it('sends a notice beyond the 7-day window as the template mapped to its kind, through the notifier', async () => {
    fake.addTemplate('300301', { ho_ten: 30, ma: 20, tai_khoan: 30, hotline: 15 });
    await adminCall(app.url, TEST_ADMIN_KEY, 'POST', '/zalo/templates/sync');
    const mapped = await adminCall(app.url, TEST_ADMIN_KEY, 'PUT', '/zalo/notice-templates/bank_change_alert', {
      templateId: '300301',
      bindings: { ho_ten: 'full_name', ma: 'reference', tai_khoan: 'account', hotline: 'hotline' },
    });
    expect(mapped.status).toBe(200);
    fake.outsideWindow.add('6001');
    fake.usedToday = 0;
    const before = fake.templateSends().length;
    const alert = {
      text: [{ key: 'cashless.alert.ifNotYou' }],
      notice: { kind: 'bank_change_alert' as const, fields: { full_name: 'Trần Thị Bình', reference: 'PM-2026-000001', account: '****3456', hotline: '1900 9068' } },
    };
    expect(await app.notifier.notify({ channel: 'zalo', chatId: '6001' }, alert)).toBe(true);
    const sent = fake.templateSends().slice(before);
    expect(sent.map((c) => [c.path, c.to, c.body.template_id])).toEqual([['/v3.0/oa/message/template', '6001', '300301']]);
    expect(sent[0]!.body.template_data).toEqual({ ho_ten: 'Trần Thị Bình', ma: 'PM-2026-000001', tai_khoan: '****3456', hotline: '1900 9068' });
    // A kind without a template stays a failed notice beyond the window.
    expect(await app.notifier.notify({ channel: 'zalo', chatId: '6001' }, { text: [{ key: 'cashless.alert.ifNotYou' }] })).toBe(false);
  });

  it('tells a fraud reporter and a relative beyond the window by template: the case status in words, the authorisation about to expire', async () => {
    fake.addTemplate('300401', { ma_ho_so: 20, tinh_trang: 40 });
    fake.addTemplate('300402', { ho_ten: 30, het_han: 10 });
    await adminCall(app.url, TEST_ADMIN_KEY, 'POST', '/zalo/templates/sync');
    expect((await adminCall(app.url, TEST_ADMIN_KEY, 'PUT', '/zalo/notice-templates/fraud_case_status', { templateId: '300401', bindings: { ma_ho_so: 'case_number', tinh_trang: 'status' } })).status).toBe(200);
    expect((await adminCall(app.url, TEST_ADMIN_KEY, 'PUT', '/zalo/notice-templates/authorisation_expiring', { templateId: '300402', bindings: { ho_ten: 'full_name', het_han: 'expires_on' } })).status).toBe(200);
    fake.outsideWindow.add('6101');
    fake.usedToday = 0;
    const before = fake.templateSends().length;

    const { caseNumber } = await app.domain.fraud.report({ chat: { channel: 'zalo', chatId: '6101' }, locale: 'vi', category: 'otp_request', description: 'Có người gọi tự xưng cán bộ BHXH xin mã OTP', scammerContact: null, moneyLost: false, amountLost: null, photoRefs: [] });
    const changed = await app.domain.fraud.changeStatus(caseNumber, { status: 'referred', by: 'test-admin', province: null });
    expect(changed).toMatchObject({ status: 'ok', reporterNotified: true });
    const fraudSend = fake.templateSends().slice(before).find((c) => c.body.template_id === '300401');
    expect(fraudSend?.body.template_data).toEqual({ ma_ho_so: caseNumber, tinh_trang: 'đã chuyển cơ quan Công an' });

    // A relative's authorisation ends in 10 days: the daily job reminds them, by template beyond the window.
    const { id } = await app.domain.beneficiaries.upsert({ bhxhCode: '0199100001', fullName: 'Lê Thị Hạnh', birthDate: '1944-02-02', gender: 'female', phones: [], provinceCode: '01', benefitType: 'pension', monthlyAmount: 3_900_000, paymentMethod: { kind: 'cash_post' } });
    const expires = new Date(Date.now() + 10 * 86_400_000 + 7 * 3_600_000).toISOString().slice(0, 10);
    await beneficiaryLinkModel(app.connection).create({
      channel: 'zalo', chatId: '6101', beneficiaryId: id, provinceCode: '01', role: 'authorised', relationship: 'child', status: 'active', consentVersion: 'test',
      document: { kind: 'authorisation', number: 'UQ-01', issuedOn: '2026-01-01', issuer: 'UBND phường', expiresOn: expires, photoRef: 'photo-1' },
    });
    expect((await app.domain.links.remindExpiring(new Date())).reminded).toBe(1);
    const reminder = fake.templateSends().slice(before).find((c) => c.body.template_id === '300402');
    const [y, mo, d] = expires.split('-');
    expect(reminder?.body.template_data).toEqual({ ho_ten: 'Lê Thị Hạnh', het_han: `${d}/${mo}/${y}` });
  });
});
