import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Claims } from '../../src/db/claims.js';
import { claimModel } from '../../src/db/models/claim.js';
import { chatUserModel } from '../../src/db/models/chat-user.js';
import { conversationModel } from '../../src/db/models/conversation.js';
import { ChatUserService } from '../../src/domain/chat-users.js';
import { busy, conflict, notFound } from '../../src/domain/errors.js';
import { ConversationStore } from '../../src/engine/conversation-store.js';
import { Engine } from '../../src/engine/engine.js';
import { actionPayload, defineFlow, m, next, say, toMenu } from '../../src/engine/flow.js';
import type { FlowServices } from '../../src/engine/services.js';
import { loadResources, Translator } from '../../src/i18n/i18n.js';
import { createLogger } from '../../src/logger.js';
import type { ChatKey, Inbound } from '../../src/messaging/types.js';
import { menuFlow } from '../../flows/menu.js';
import { settingsFlow } from '../../flows/settings.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { connectTestMongoose, testMongoUri, type TestMongoose } from '../support/db.js';
import { adminCall, createStaffKey, FRAUD_ADMIN_KEY } from '../support/fraud-api.js';

/**
 * A two-step flow whose second step meets whatever the test asks for: a
 * DomainError of some code, a plain Error (a bug), or success.
 */
const wizard = defineFlow<{ name?: string; tries: number }>({
  id: 'wizard',
  version: 1,
  start: 'name',
  initial: () => ({ tries: 0 }),
  steps: {
    name: {
      prompt: () => say(m('menu.prompt')),
      accepts: ['text'],
      handle: (input, ctx) => next('confirm', { ...ctx.data, name: input.type === 'text' ? input.text : '' }),
    },
    confirm: {
      prompt: () => say(m('engine.cancelled')),
      accepts: ['text'],
      handle: async (input, ctx) => {
        const text = input.type === 'text' ? input.text : '';
        // A step that changes its data in place before failing must not change what is kept.
        (ctx.data as { tries: number }).tries++;
        if (text === 'gone') throw notFound('beneficiary');
        if (text === 'taken') throw conflict('decided meanwhile');
        if (text === 'held') throw busy('record lease held');
        if (text === 'bug') throw new Error('a bug in the step');
        return toMenu(say(m('settings.languageChanged')));
      },
    },
  },
});

describe('a DomainError during a conversation turn', () => {
  let db: TestMongoose;
  let engine: Engine;
  let translator: Translator;
  let counter = 0;
  const text = (chatId: string, body: string): Inbound => ({ id: `de${++counter}`, channel: 'simulator', chatId, userId: chatId, kind: 'text', text: body });
  const saved = (chatId: string) => conversationModel(db.connection).findOne({ chatId }).lean();
  /** Opens the wizard and answers its first step: the conversation waits at `confirm` with a name entered. */
  const atConfirm = async (chatId: string) => {
    await engine.handle(text(chatId, '/start'));
    await engine.handle(text(chatId, '1'));
    await engine.handle(text(chatId, 'Bà Tư'));
    expect(await saved(chatId)).toMatchObject({ flow: 'wizard', step: 'confirm', data: { name: 'Bà Tư', tries: 0 } });
  };

  beforeAll(async () => {
    db = await connectTestMongoose();
    translator = await Translator.create(loadResources());
    await Promise.all([chatUserModel(db.connection).init(), conversationModel(db.connection).init()]);
    const services = {
      settings: { bhxhHotline: '1900 9068' },
      menu: async () => [{ flow: 'wizard', label: m('menu.item.fraudTips'), order: 1 }],
    } as unknown as FlowServices;
    engine = new Engine({
      flows: [menuFlow, settingsFlow, wizard],
      actions: {
        stale: async () => {
          throw notFound('payment request');
        },
      },
      translator,
      store: new ConversationStore(conversationModel(db.connection), new Claims(claimModel(db.connection))),
      chatUsers: new ChatUserService(chatUserModel(db.connection)),
      services,
      defaultLocale: 'vi',
      idleMs: 60_000,
      logger: createLogger('silent'),
    });
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('tells the person what to do in their language, and keeps what they entered', async () => {
    await atConfirm('gone');
    const replies = await engine.handle(text('gone', 'gone'));
    expect(replies).toHaveLength(1);
    expect(replies[0]!.text).toBe(translator.t('vi', m('engine.error.notFound', { hotline: '1900 9068' })));
    expect(replies[0]!.text).toContain('1900 9068');
    expect(replies[0]!.buttons?.map((b) => b.label)).toContain(translator.t('vi', m('engine.menuButton')));
    // Still at the same step with the same data; the in-place change of the failed step is not kept.
    expect(await saved('gone')).toMatchObject({ flow: 'wizard', step: 'confirm', data: { name: 'Bà Tư', tries: 0 } });
    // The next message carries on from there.
    expect((await engine.handle(text('gone', 'ok'))).map((r) => r.text).join('\n')).toContain(translator.t('vi', m('settings.languageChanged')));
  });

  it('keys the message by code (busy, conflict)', async () => {
    await atConfirm('codes');
    expect((await engine.handle(text('codes', 'held')))[0]!.text).toBe(translator.t('vi', m('engine.busy')));
    expect((await engine.handle(text('codes', 'taken')))[0]!.text).toBe(translator.t('vi', m('engine.error.conflict', { hotline: '1900 9068' })));
    expect(await saved('codes')).toMatchObject({ step: 'confirm', data: { name: 'Bà Tư', tries: 0 } });
  });

  it('answers a redelivered message with the same reply, without running the step again', async () => {
    await atConfirm('again');
    const message = text('again', 'taken');
    const first = await engine.handle(message);
    const rev = (await saved('again'))!.rev;
    expect(await engine.handle(message)).toEqual(first);
    expect((await saved('again'))!.rev).toBe(rev);
  });

  it('keeps a notification button usable when its action meets one', async () => {
    await atConfirm('act');
    const tap: Inbound = { id: `de${++counter}`, channel: 'simulator', chatId: 'act', userId: 'act', kind: 'button', payload: actionPayload('stale', 'YC-ABCDEF') };
    const replies = await engine.handle(tap);
    expect(replies[0]!.text).toBe(translator.t('vi', m('engine.error.notFound', { hotline: '1900 9068' })));
    expect(await saved('act')).toMatchObject({ flow: 'wizard', step: 'confirm', data: { name: 'Bà Tư' } });
  });

  it('still fails the update on a plain Error (a bug): the channel lets the platform retry', async () => {
    await atConfirm('bug');
    await expect(engine.handle(text('bug', 'bug'))).rejects.toThrow('a bug in the step');
    expect(await saved('bug')).toMatchObject({ step: 'confirm', data: { name: 'Bà Tư', tries: 0 } });
    expect(await new Claims(claimModel(db.connection)).isLeased('conv:simulator:bug')).toBe(false);
  });
});

describe('a DomainError through the admin API', () => {
  let app: TestApp;
  let caseNumber = '';
  let reviewer = '';
  const call = <T = unknown>(method: string, path: string, body?: unknown) => adminCall<T>(app.url, reviewer, method, path, body);

  beforeAll(async () => {
    app = await startTestApp({ MONGODB_URI: testMongoUri(), SIMULATOR_ENABLED: 'true', ADMIN_BOOTSTRAP_KEY: FRAUD_ADMIN_KEY });
    const reporter: ChatKey = { channel: 'simulator', chatId: 'de-reporter' };
    await app.domain.chatUsers.touch(reporter, 'u1', 'vi');
    caseNumber = (
      await app.domain.fraud.report({ chat: reporter, locale: 'vi', category: 'other', description: 'Cuộc gọi lạ', scammerContact: null, moneyLost: false, amountLost: null, photoRefs: [] })
    ).caseNumber;
    reviewer = await createStaffKey(app.url, 'reviewer');
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('answers 404 with the field for a record that is not there, not 500', async () => {
    const link = await call<{ code: string; field: string }>('GET', '/links/65f1a2b3c4d5e6f708192a3b');
    expect([link.status, link.body]).toEqual([404, { code: 'not_found', message: 'no such relative link in your province', field: 'id' }]);
    const decide = await call<{ code: string }>('POST', '/links/65f1a2b3c4d5e6f708192a3b/approve');
    expect([decide.status, decide.body.code]).toEqual([404, 'not_found']);
    const request = await call<{ code: string }>('POST', '/requests/YC-ABCDEF/reject', { reason: 'không rõ' });
    expect([request.status, request.body.code]).toEqual([404, 'not_found']);
    const note = await call<{ code: string; field: string }>('POST', '/fraud-cases/LD-2099-999999/notes', { text: 'ghi chú' });
    expect([note.status, note.body.code, note.body.field]).toEqual([404, 'not_found', 'caseNumber']);
    // Contract codes for a decision already made stay as they were.
    const closed = await call('POST', `/fraud-cases/${caseNumber}/status`, { status: 'closed' });
    expect(closed.status).toBe(200);
    const reopen = await call<{ code: string }>('POST', `/fraud-cases/${caseNumber}/status`, { status: 'in_review' });
    expect([reopen.status, reopen.body.code]).toEqual([409, 'invalid_transition']);
  });

  it('answers 503 with Retry-After, not 500, while another change holds the record, and changes nothing', async () => {
    // Another instance's change holds the case for longer than a staff write waits (10 s).
    const lease = await new Claims(claimModel(app.connection)).lease(`fraud-case:${caseNumber}`, 'other-instance', 60_000);
    try {
      const note = await call<{ code: string; message: string }>('POST', `/fraud-cases/${caseNumber}/notes`, { text: 'ghi chú khi bận' });
      expect(note.status).toBe(503);
      expect(note.body.code).toBe('busy');
      expect(note.headers.get('retry-after')).toBe('5');
    } finally {
      await lease?.release();
    }
    const after = await call<{ notes: unknown[] }>('GET', `/fraud-cases/${caseNumber}`);
    expect(after.body.notes).toHaveLength(0);
    expect(app.logs.text()).not.toContain('unhandled admin API error');
  }, 30_000);
});
