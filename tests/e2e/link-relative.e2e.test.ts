import { expect, it } from 'vitest';
import { pickBeneficiaryStep } from '../../flows/shared/pick-beneficiary.js';
import type { StepContext } from '../../src/engine/flow.js';
import type { ChatKey } from '../../src/messaging/types.js';
import { describeOnChannels, type ChannelHarness } from '../support/channels.js';
import { textOf, type ChatDriver } from '../support/chat-driver.js';
import { seedPersonas } from '../support/personas.js';
import { adminCall, createKey, vnDate } from '../support/link-helpers.js';

const ADMIN_KEY = 'test-admin-key-0123456789abcdef0123';

const keyOf = (h: ChannelHarness, user: ChatDriver): ChatKey => ({
  channel: h.name as ChatKey['channel'],
  chatId: String((user as unknown as { chatId: string | number }).chatId),
});

/** Walks a relative's registration up to the document-number question. */
async function startRegistration(user: ChatDriver, relationship: string, code: string, birthDate: string): Promise<string> {
  await user.send('/start');
  const first = await user.tap('Đăng ký cho người thân');
  if (first.some((msg) => msg.buttons.some((b) => b.includes('Đồng ý')))) await user.tap('Đồng ý');
  await user.tap(relationship);
  await user.send(code);
  return textOf(await user.send(birthDate));
}

/** Fills in an authorisation made 10 days ago, valid 6 months, and stops at the summary. */
async function authorisationToSummary(user: ChatDriver): Promise<string> {
  await user.send('125/2026/UQ');
  await user.send(vnDate({ days: -10 }));
  expect(textOf(await user.send('UBND xã Tân Lập'))).toContain('hiệu lực đến ngày nào');
  expect(textOf(await user.send(vnDate({ days: -10, months: 6 })))).toContain('gửi ảnh giấy ủy quyền');
  return textOf(await user.sendPhoto());
}

describeOnChannels(
  'register for a relative, and staff review',
  (harness) => {
    let ids: Record<string, string> | undefined;
    const seed = async () => (ids ??= await seedPersonas(harness().app.domain));

    it('registers with a photo, waits pending, and acts only after a reviewer approves', async () => {
      await seed();
      const user = harness().chat(1);
      const afterDob = await startRegistration(user, 'Con', '3109876543', '15/07/1940');
      expect(afterDob).toContain('số của giấy ủy quyền');
      const summary = await authorisationToSummary(user);
      expect(summary).toContain('Lê Văn Cường');
      expect(summary).toContain('******6543');
      expect(summary).not.toContain('3109876543');
      expect(summary).toContain('125/2026/UQ');
      const sent = textOf(await user.tap('Đúng, gửi đăng ký'));
      expect(sent).toMatch(/Mã đăng ký: LK-[0-9A-F]{6}/);
      expect(sent).toContain('vài ngày làm việc');

      // Pending: the relative can do nothing yet.
      const { links } = harness().app.domain;
      const chat = keyOf(harness(), user);
      expect(await links.canAct(chat, ids!.cuong!)).toBe(false);
      expect(await links.activeFor(chat)).toEqual([]);
      const step = pickBeneficiaryStep<{ beneficiaryId?: string }>({ question: 'pickBeneficiary.person', nextStep: 'x' });
      const ctx = { data: {}, locale: 'vi', chat, userId: chat.chatId, services: { domain: harness().app.domain } } as unknown as StepContext<{ beneficiaryId?: string }>;
      const reference = /LK-[0-9A-F]{6}/.exec(sent)![0];
      expect((await step.prompt(ctx)).text).toEqual([{ key: 'pickBeneficiary.pending', params: { name: 'Lê Văn Cường', reference } }]);
      expect(await step.auto!(ctx)).toBeUndefined();
      // The same through the menu: the payment-status flow (which starts with that step) names the pending request, not "not linked".
      const waiting = textOf(await user.tap('Xem lương hưu tháng này'));
      expect(waiting).toContain(`Yêu cầu đăng ký cho Lê Văn Cường (mã ${reference}) đang chờ cán bộ BHXH`);
      expect(waiting).not.toContain('chưa liên kết hồ sơ BHXH nào');
      // A registration does not start linking the relative as the pensioner meanwhile.
      await user.send('menu');
      const cashless = textOf(await user.send('doi sang ngan hang'));
      expect(cashless).toContain(reference);
      expect(cashless).not.toContain('xác minh hồ sơ');

      // Staff see it, masked.
      const list = await adminCall(harness(), ADMIN_KEY, 'GET', '/links?status=pending');
      expect(list.status).toBe(200);
      const item = list.body.items!.find((l) => l.beneficiary?.fullName === 'Lê Văn Cường')!;
      expect(item.beneficiary?.bhxhCodeMasked).toBe('******6543');
      expect(item.relationship).toBe('child');
      expect(item.document?.number).toBe('125/2026/UQ');
      expect(item.document?.photoRef).toBeTruthy();
      expect(list.raw).not.toContain('3109876543');
      expect((await adminCall(harness(), ADMIN_KEY, 'GET', `/links/${item.id}`)).body.status).toBe('pending');

      const reviewer = await createKey(harness(), ADMIN_KEY, 'reviewer', '31');
      const approved = await adminCall(harness(), reviewer, 'POST', `/links/${item.id}/approve`);
      expect(approved.status).toBe(200);
      expect(approved.body.status).toBe('active');
      expect(textOf(await user.allMessages())).toContain('Cán bộ BHXH đã duyệt');
      expect(await links.canAct(chat, ids!.cuong!)).toBe(true);
      await user.send('menu');
      const status = textOf(await user.tap('Xem lương hưu tháng này'));
      expect(status).not.toContain('chưa liên kết hồ sơ BHXH nào');
      expect(status).toContain('Lê Văn Cường');
      // The registration addresses the relative as the relative: the choice is the pensioner's.
      await user.send('menu');
      const method = textOf(await user.send('doi sang ngan hang'));
      expect(method).toContain('Ông/Bà đang đăng ký cho Lê Văn Cường');
      expect(method).not.toContain('do Ông/Bà tự chọn');

      // A second decision is refused, whichever it is.
      const twice = await adminCall(harness(), reviewer, 'POST', `/links/${item.id}/reject`, { reason: 'Giấy mờ' });
      expect(twice.status).toBe(409);
      expect(twice.body.code).toBe('already_decided');
      const audit = await adminCall(harness(), ADMIN_KEY, 'GET', '/audit?action=relative_link.approve');
      expect(audit.body.items?.length).toBe(1);
    });

    it('delivers a rejection with its reason (guardian: no expiry asked)', async () => {
      await seed();
      const user = harness().chat(2);
      expect(await startRegistration(user, 'Người giám hộ', '0101234567', '05/03/1952')).toContain('giám hộ');
      await user.send('QĐ 12/2025');
      await user.send(vnDate({ days: -100 }));
      expect(textOf(await user.send('UBND phường Láng Hạ'))).toContain('gửi ảnh quyết định');
      expect(textOf(await user.send('đây là ảnh'))).toContain('Tôi cần ảnh chụp giấy tờ');
      expect(textOf(await user.sendPhoto())).toContain('Giấy giám hộ số QĐ 12/2025');
      await user.tap('Đúng, gửi đăng ký');
      const list = await adminCall(harness(), ADMIN_KEY, 'GET', '/links?status=pending&province=01');
      const item = list.body.items!.find((l) => l.beneficiary?.fullName === 'Nguyễn Văn An')!;
      expect(item.document?.expiresOn).toBeNull();
      const reviewer = await createKey(harness(), ADMIN_KEY, 'reviewer', null);
      expect((await adminCall(harness(), reviewer, 'POST', `/links/${item.id}/reject`, { reason: 'x' })).status).toBe(400);
      const rejected = await adminCall(harness(), reviewer, 'POST', `/links/${item.id}/reject`, { reason: 'Ảnh giấy giám hộ bị mờ, không đọc được con dấu' });
      expect(rejected.status).toBe(200);
      expect(rejected.body.reviewReason).toContain('bị mờ');
      const seen = textOf(await user.allMessages());
      expect(seen).toContain('chưa duyệt');
      expect(seen).toContain('Ảnh giấy giám hộ bị mờ, không đọc được con dấu');
      expect(await harness().app.domain.links.canAct(keyOf(harness(), user), ids!.an!)).toBe(false);
    });

    it('refuses an authorisation longer than 12 months and explains the rule', async () => {
      await seed();
      const user = harness().chat(3);
      await startRegistration(user, 'Vợ / chồng', '0107654321', '20/11/1955');
      await user.send('88/UQ');
      const issued = vnDate({ days: -5 });
      await user.send(issued);
      await user.send('Văn phòng công chứng số 1');
      const tooLong = textOf(await user.send(vnDate({ days: -5, months: 13 })));
      expect(tooLong).toContain('tối đa 12 tháng');
      expect(tooLong).toContain(vnDate({ days: -5, months: 12 }));
      expect(textOf(await user.send(vnDate({ days: -5, months: 12 })))).toContain('gửi ảnh giấy ủy quyền');
    });

    it('a wrong date of birth is refused without saying which field was wrong', async () => {
      await seed();
      const user = harness().chat(4);
      const reply = await startRegistration(user, 'Cháu', '3109876543', '16/07/1940');
      expect(reply).toContain('Thông tin chưa khớp với hồ sơ');
      expect(reply).toContain('mã số BHXH (10 số) hoặc số CCCD (12 số) của người hưởng');
      expect(reply).not.toMatch(/ngày sinh (sai|không đúng)/);
    });

    it('works in English from start to submission', async () => {
      await seed();
      const user = harness().chat(9);
      await user.send('/start');
      await user.send('english');
      const first = await user.tap('Register for a relative');
      if (first.some((msg) => msg.buttons.some((b) => b.includes('I agree')))) await user.tap('I agree');
      await user.tap('Husband / wife');
      expect(textOf(await user.send('0107654321'))).toContain("beneficiary's date of birth");
      expect(textOf(await user.send('20/11/1955'))).toContain('number of the authorisation');
      await user.send('77/2026/UQ');
      await user.send(vnDate({ days: -5 }));
      expect(textOf(await user.send('UBND phường Hoàn Kiếm'))).toContain('Until what date is the authorisation valid?');
      // More than 12 months: the rule is explained in English.
      expect(textOf(await user.send(vnDate({ days: -5, months: 14 })))).toContain('at most 12 months');
      expect(textOf(await user.send(vnDate({ days: -5, months: 11 })))).toContain('send a photo');
      const summary = textOf(await user.sendPhoto());
      expect(summary).toContain('Trần Thị Bình');
      expect(summary).toContain('Authorisation no. 77/2026/UQ');
      expect(textOf(await user.tap('Correct, send it'))).toMatch(/Reference: LK-[0-9A-F]{6}/);
    });

    it('scopes staff to their province', async () => {
      await seed();
      const user = harness().chat(5);
      await startRegistration(user, 'Con', '3109876543', '15/07/1940');
      await authorisationToSummary(user);
      await user.tap('Đúng, gửi đăng ký');
      const all = await adminCall(harness(), ADMIN_KEY, 'GET', '/links?status=pending');
      const item = all.body.items!.find((l) => l.beneficiary?.fullName === 'Lê Văn Cường')!;
      const elsewhere = await createKey(harness(), ADMIN_KEY, 'reviewer', '79');
      expect((await adminCall(harness(), elsewhere, 'GET', '/links?status=pending')).body.items).toEqual([]);
      expect((await adminCall(harness(), elsewhere, 'GET', `/links/${item.id}`)).status).toBe(404);
      expect((await adminCall(harness(), elsewhere, 'POST', `/links/${item.id}/approve`)).status).toBe(404);
      const viewer = await createKey(harness(), ADMIN_KEY, 'viewer', '31');
      expect((await adminCall(harness(), viewer, 'GET', `/links/${item.id}`)).status).toBe(200);
      expect((await adminCall(harness(), viewer, 'POST', `/links/${item.id}/approve`)).status).toBe(403);
      // Registering twice for the same person while pending is not possible.
      await user.tap('Đăng ký cho người thân');
      await user.tap('Con');
      await user.send('3109876543');
      expect(textOf(await user.send('15/07/1940'))).toContain('đang chờ cán bộ BHXH kiểm tra');
    });
  },
  { env: { ADMIN_BOOTSTRAP_KEY: ADMIN_KEY } },
);
