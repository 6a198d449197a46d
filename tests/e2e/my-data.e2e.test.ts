import { Types } from 'mongoose';
import { expect, it } from 'vitest';
import { describeOnChannels } from '../support/channels.js';
import { textOf } from '../support/chat-driver.js';
import { eventually } from '../support/fraud-api.js';
import { PERSONAS, seedPersonas } from '../support/personas.js';
import type { FraudReportDoc } from '../../src/db/models/fraud-report.js';

describeOnChannels('my data: view masked, erase', (harness) => {
  const collection = (name: string) => harness().app.connection.collection(name);

  it('shows what is stored, masked, and erases the chat while keeping fraud cases and office records', async () => {
    const { app } = harness();
    const ids = await seedPersonas(app.domain, ['an']);
    const user = harness().chat(5);
    const chat = harness().chatKey(5);
    await user.send('/start');
    await app.domain.chatUsers.recordConsent(chat, 'v1');
    await app.domain.links.createSelfLink(chat, ids.an, 'v1');
    const receipt = await app.domain.fraud.report({
      chat,
      locale: 'vi',
      category: 'impersonation',
      description: 'Có người gọi giả danh Công an',
      scammerContact: null,
      moneyLost: false,
      amountLost: null,
      photoRefs: [],
    });
    // A payment-method request is the office's record: it stays, without the chat id.
    const requestId = new Types.ObjectId();
    await collection('payment_method_requests').insertOne({
      _id: requestId,
      reference: 'TT-TEST-0001',
      beneficiaryId: new Types.ObjectId(ids.an),
      provinceCode: '01',
      requestedBy: { ...chat, role: 'self' },
      method: { kind: 'cash_post' },
      status: 'submitted',
      createdAt: new Date(),
      updatedAt: new Date(),
    });

    const shown = textOf(await user.send('xoa du lieu'));
    expect(shown).toContain('Đây là những thông tin tôi đang lưu');
    expect(shown).toContain('Tiếng Việt');
    expect(shown).toContain('• Đồng ý cho lưu thông tin: ngày');
    expect(shown).not.toMatch(/phiên bản|v1/);
    expect(shown).toContain(`${PERSONAS.an.fullName}, mã BHXH ******4567 — chính Ông/Bà (đang hiệu lực)`);
    expect(shown).toContain('TT-TEST-0001');
    expect(shown).toContain(`${receipt.caseNumber}: mới nhận`);
    for (const secret of [PERSONAS.an.bhxhCode, PERSONAS.an.cccd, ...PERSONAS.an.phones]) expect(shown).not.toContain(secret);

    const confirm = textOf(await user.tap('Xóa dữ liệu của tôi'));
    expect(confirm).toContain('Vẫn được giữ lại');
    expect(confirm).toContain('Ông/Bà có chắc muốn xóa không?');

    expect(textOf(await user.tap('Có, xóa dữ liệu'))).toContain('Đã xóa dữ liệu của Ông/Bà');

    const byChat = { channel: chat.channel, chatId: chat.chatId };
    await eventually(async () => (await collection('conversations').countDocuments(byChat)) === 0);
    expect(await collection('chat_users').countDocuments(byChat)).toBe(0);
    expect(await collection('beneficiary_links').countDocuments(byChat)).toBe(0);
    const report = await app.connection.collection<FraudReportDoc>('fraud_reports').findOne({ caseNumber: receipt.caseNumber });
    expect(report?.reporter).toBeNull();
    expect(report?.description).toBe('Có người gọi giả danh Công an');
    const request = await collection('payment_method_requests').findOne({ _id: requestId });
    expect(request?.requestedBy).toEqual({ channel: chat.channel, chatId: 'erased', role: 'self' });
    if (chat.channel === 'simulator') {
      // Only the farewell is left in the simulator's history.
      expect(await collection('simulator_messages').countDocuments({ chatId: chat.chatId, direction: 'in' })).toBe(0);
    }

    const again = textOf(await user.send('xin chào'));
    expect(again).toContain('Kính chào Ông/Bà');
    expect(again).toContain('Ông/Bà cần giúp việc gì?');
    const fresh = textOf(await user.tap('Dữ liệu của tôi'));
    expect(fresh).toContain('Hồ sơ đã liên kết: không có');
    expect(fresh).toContain('Báo cáo lừa đảo Ông/Bà đã gửi: không có');
  });

  it('keeps everything when the user says no, and shows English text', async () => {
    const user = harness().chat(6);
    await user.send('/start');
    await user.send('english');
    const shown = textOf(await user.tap('My data'));
    expect(shown).toContain('Language: English');
    expect(shown).toContain('Linked records: none');
    await user.tap('Erase my data');
    expect(textOf(await user.tap('No, keep it'))).toContain('Your data has been kept');
    expect(await harness().app.domain.chatUsers.locale(harness().chatKey(6))).toBe('en');
  });
});
