import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLogModel } from '../../src/db/models/audit-log.js';
import { broadcastModel } from '../../src/db/models/broadcast.js';
import { BROADCAST_ADMIN_KEY, broadcastApi, broadcastStaffKey, startBroadcastHarness, type BroadcastHarness } from '../support/broadcast-harness.js';

interface Template {
  id: string;
  version: number;
  builtIn: boolean;
  fields: string[];
  title: { vi: string; en?: string };
  text: { vi: string; en?: string };
  updatedBy: string | null;
}
interface Made {
  id: string;
  content: { vi: { text: string }; en?: { text: string } };
  template: { id: string; version: number } | null;
}

const HOTLINE_V1 = {
  title: { vi: 'Đường dây nóng tỉnh', en: 'Province hotline' },
  text: { vi: 'Có nghi ngờ lừa đảo, Ông/Bà gọi {{province_hotline}}.', en: 'If you suspect a scam, call {{province_hotline}}.' },
};
const HOTLINE_V2 = {
  title: { vi: 'Đường dây nóng tỉnh', en: 'Province hotline' },
  text: { vi: 'Ông/Bà gọi ngay {{province_hotline}} trước khi chuyển tiền cho bất kỳ ai.', en: 'Call {{province_hotline}} before sending money to anyone.' },
};

describe('broadcast templates stored in MongoDB', () => {
  let h: BroadcastHarness;
  let broadcaster: string;
  let viewer: string;
  let reviewer: string;

  beforeAll(async () => {
    h = await startBroadcastHarness();
    broadcaster = await broadcastStaffKey(h.adminUrl, 'broadcaster');
    viewer = await broadcastStaffKey(h.adminUrl, 'viewer');
    reviewer = await broadcastStaffKey(h.adminUrl, 'reviewer');
  });
  afterAll(async () => {
    await h.stop();
  });

  it('lists the built-in anti-fraud templates in both languages, read-only', async () => {
    const list = await broadcastApi<{ items: Template[] }>(h.adminUrl, viewer, 'GET', '/broadcast-templates');
    expect(list.status).toBe(200);
    const otp = list.body.items.find((t) => t.id === 'otpWarning')!;
    expect(otp).toMatchObject({ builtIn: true, version: 1, fields: ['province_hotline'] });
    expect(otp.text.vi).toContain('KHÔNG BAO GIỜ hỏi mã OTP');
    expect(otp.text.en).toContain('NEVER asks for OTP codes');
    expect(list.body.items.find((t) => t.id === 'fakeOfficial')?.builtIn).toBe(true);
    const edit = await broadcastApi(h.adminUrl, broadcaster, 'PUT', '/broadcast-templates/otpWarning', HOTLINE_V2);
    expect(edit.status).toBe(409);
    expect(edit.body.code).toBe('template_read_only');
  });

  it('creates and edits a template with named fields; each edit is a new version; roles and audit are enforced', async () => {
    expect((await broadcastApi(h.adminUrl, viewer, 'POST', '/broadcast-templates', HOTLINE_V1)).status).toBe(403);
    expect((await broadcastApi(h.adminUrl, reviewer, 'POST', '/broadcast-templates', HOTLINE_V1)).status).toBe(403);

    const created = await broadcastApi<Template>(h.adminUrl, broadcaster, 'POST', '/broadcast-templates', HOTLINE_V1);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ builtIn: false, version: 1, fields: ['province_hotline'], text: HOTLINE_V1.text });
    const id = created.body.id;

    const edited = await broadcastApi<Template>(h.adminUrl, broadcaster, 'PUT', `/broadcast-templates/${id}`, { ...HOTLINE_V2, expectedVersion: 1 });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ id, version: 2, text: HOTLINE_V2.text });
    // An edit made on version 1 after version 2 exists is refused, not silently lost.
    const stale = await broadcastApi(h.adminUrl, BROADCAST_ADMIN_KEY, 'PUT', `/broadcast-templates/${id}`, { ...HOTLINE_V1, expectedVersion: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('template_conflict');
    expect((await broadcastApi(h.adminUrl, viewer, 'PUT', `/broadcast-templates/${id}`, HOTLINE_V1)).status).toBe(403);
    expect((await broadcastApi(h.adminUrl, broadcaster, 'PUT', '/broadcast-templates/0123456789abcdef01234567', HOTLINE_V1)).status).toBe(404);

    const list = await broadcastApi<{ items: Template[] }>(h.adminUrl, viewer, 'GET', '/broadcast-templates');
    expect(list.body.items.find((t) => t.id === id)).toMatchObject({ version: 2, text: HOTLINE_V2.text });

    const audit = await auditLogModel(h.app.connection).find({ action: /^broadcast_template\./ }).lean();
    expect(audit.map((a) => a.action).sort()).toEqual(['broadcast_template.create', 'broadcast_template.update']);
  });

  it('refuses fields that differ between languages and links in the text', async () => {
    const mismatch = await broadcastApi(h.adminUrl, broadcaster, 'POST', '/broadcast-templates', {
      title: { vi: 'x' },
      text: { vi: 'Gọi {{province_hotline}}', en: 'Call {{hotline}}' },
    });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.code).toBe('template_invalid');
    const link = await broadcastApi(h.adminUrl, broadcaster, 'POST', '/broadcast-templates', { title: { vi: 'x' }, text: { vi: 'Vào https://bhxh-ho-tro.example/otp' } });
    expect(link.status).toBe(400);
    expect(link.body.code).toBe('template_invalid');
  });

  it('fills a broadcast from a stored template and records the template id and version used', async () => {
    const created = await broadcastApi<Template>(h.adminUrl, broadcaster, 'POST', '/broadcast-templates', HOTLINE_V1);
    const id = created.body.id;
    await broadcastApi(h.adminUrl, broadcaster, 'PUT', `/broadcast-templates/${id}`, HOTLINE_V2);

    const current = await broadcastApi<Made>(h.adminUrl, broadcaster, 'POST', '/broadcasts', { title: 'hotline', template: { id, fields: { province_hotline: '024 3936 1111' } } });
    expect(current.status).toBe(201);
    expect(current.body.template).toEqual({ id, version: 2 });
    expect(current.body.content.vi.text).toBe('Ông/Bà gọi ngay 024 3936 1111 trước khi chuyển tiền cho bất kỳ ai.');
    expect(current.body.content.en?.text).toBe('Call 024 3936 1111 before sending money to anyone.');

    const old = await broadcastApi<Made>(h.adminUrl, broadcaster, 'POST', '/broadcasts', { title: 'hotline v1', template: { id, version: 1, fields: { province_hotline: '1900 9068' } } });
    expect(old.body.template).toEqual({ id, version: 1 });
    expect(old.body.content.vi.text).toBe('Có nghi ngờ lừa đảo, Ông/Bà gọi 1900 9068.');
    const stored = await broadcastModel(h.app.connection).findById(old.body.id).lean();
    expect(stored).toMatchObject({ templateId: id, templateVersion: 1 });

    const missing = await broadcastApi(h.adminUrl, broadcaster, 'POST', '/broadcasts', { title: 'x', template: { id, fields: {} } });
    expect(missing.body.code).toBe('template_fields');
    const noVersion = await broadcastApi(h.adminUrl, broadcaster, 'POST', '/broadcasts', { title: 'x', template: { id, version: 9, fields: { province_hotline: '1' } } });
    expect(noVersion.status).toBe(400);
    expect(noVersion.body.code).toBe('template_unknown');

    const builtIn = await broadcastApi<Made>(h.adminUrl, broadcaster, 'POST', '/broadcasts', { title: 'otp', template: { id: 'otpWarning', fields: { province_hotline: '1900 9068' } } });
    expect(builtIn.body.template).toEqual({ id: 'otpWarning', version: 1 });
  });
});
