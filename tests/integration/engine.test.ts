import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from 'mongoose';
import { connectTestMongoose, type TestMongoose } from '../support/db.js';
import { Engine } from '../../src/engine/engine.js';
import { Claims } from '../../src/db/claims.js';
import { claimModel } from '../../src/db/models/claim.js';
import { ConversationStore } from '../../src/engine/conversation-store.js';
import { defineFlow, m, next, say, actionPayload, toMenu, type AnyFlow } from '../../src/engine/flow.js';
import type { FlowServices } from '../../src/engine/services.js';
import type { Inbound } from '../../src/messaging/types.js';
import { Translator, loadResources } from '../../src/i18n/i18n.js';
import { ChatUserService } from '../../src/domain/chat-users.js';
import { chatUserModel } from '../../src/db/models/chat-user.js';
import { conversationModel } from '../../src/db/models/conversation.js';
import { createLogger } from '../../src/logger.js';
import { menuFlow } from '../../flows/menu.js';
import { settingsFlow } from '../../flows/settings.js';

/** Test-only flows exercising the engine's contract directly, on the real database. */
const counterV1 = defineFlow<{ count: number }>({
  id: 'counter',
  version: 1,
  start: 'ask',
  initial: () => ({ count: 0 }),
  steps: {
    ask: {
      prompt: () => say(m('menu.prompt')),
      accepts: ['text'],
      handle: (_input, ctx) => next('ask', { count: ctx.data.count + 1 }),
    },
  },
});

/** Version 2 renames the data field; migrate() carries old state over. */
const counterV2 = defineFlow<{ total: number }>({
  id: 'counter',
  version: 2,
  start: 'ask',
  initial: () => ({ total: 0 }),
  migrate: (from, step, data) => (from === 1 ? { step, data: { total: (data as { count: number }).count } } : undefined),
  steps: {
    ask: {
      prompt: (ctx) => say(m('engine.help', { hotline: String(ctx.data.total) })),
      accepts: ['text'],
      handle: (_input, ctx) => next('ask', { total: ctx.data.total + 1 }),
    },
  },
});

/** Auto-answered step: with one option the question is skipped. */
const auto = defineFlow<{ picked?: string }>({
  id: 'auto',
  version: 1,
  start: 'pick',
  initial: () => ({}),
  steps: {
    pick: {
      prompt: () => say(m('menu.prompt')),
      choices: () => [{ id: 'only', label: m('settings.language.vi') }],
      auto: () => ({ type: 'choice', id: 'only' }),
      handle: (input) => next('done', { picked: input.type === 'choice' ? input.id : 'none' }),
    },
    done: { prompt: () => say(m('engine.cancelled')), handle: () => toMenu() },
  },
});

let db: TestMongoose;
let counter = 0;
const inbound = (chatId: string, text: string): Inbound => ({ id: `u${++counter}`, channel: 'simulator', chatId, userId: chatId, kind: 'text', text });

async function engineWith(connection: Connection, flows: AnyFlow[], extra: Partial<ConstructorParameters<typeof Engine>[0]> = {}) {
  const translator = await Translator.create(loadResources());
  const chatUsers = new ChatUserService(chatUserModel(connection));
  await Promise.all([chatUserModel(connection).init(), conversationModel(connection).init()]);
  const services = { settings: { bhxhHotline: '1900' }, chatUsers: {}, menu: async () => [{ flow: 'counter', label: m('menu.item.fraudTips'), order: 1 }, { flow: 'auto', label: m('menu.item.settings'), order: 2 }] } as unknown as FlowServices;
  return new Engine({
    flows: [menuFlow, settingsFlow, ...flows],
    translator,
    store: new ConversationStore(conversationModel(connection), new Claims(claimModel(connection))),
    chatUsers,
    services,
    defaultLocale: 'vi',
    idleMs: 60_000,
    logger: createLogger('silent'),
    ...extra,
  });
}

beforeAll(async () => {
  db = await connectTestMongoose();
});
afterAll(async () => {
  await db?.drop();
});

describe('engine', () => {
  it('migrates state saved by an older flow version instead of restarting', async () => {
    const v1 = await engineWith(db.connection, [counterV1]);
    await v1.handle(inbound('mig', '/start'));
    await v1.handle(inbound('mig', '1'));
    await v1.handle(inbound('mig', 'one'));
    await v1.handle(inbound('mig', 'two'));
    const v2 = await engineWith(db.connection, [counterV2]);
    const replies = await v2.handle(inbound('mig', 'three'));
    // v1 counted 2 answers; v2 carried them over as total and added this one.
    expect(replies.at(-1)!.text).toContain('tổng đài BHXH 3');
    const saved = await conversationModel(db.connection).findOne({ chatId: 'mig' }).lean();
    expect(saved).toMatchObject({ flow: 'counter', flowVersion: 2, data: { total: 3 } });
  });

  it('redoes a turn whose lease ran out rather than overwriting a newer save', async () => {
    let slow = true;
    const stalling = defineFlow<{ n: number }>({
      id: 'counter',
      version: 1,
      start: 'ask',
      initial: () => ({ n: 0 }),
      steps: {
        ask: {
          prompt: () => say(m('menu.prompt')),
          accepts: ['text'],
          handle: async (_input, ctx) => {
            if (slow) {
              slow = false;
              // Meanwhile someone else takes over the expired lease (a clock past its expiry), saves and lets go.
              const other = await new Claims(claimModel(db.connection), () => Date.now() + 60_000).lease('conv:simulator:lease', 'other', 1_000);
              await conversationModel(db.connection).updateOne({ chatId: 'lease' }, { $inc: { rev: 1 } });
              await other!.release();
            }
            return next('ask', { n: (ctx.data.n ?? 0) + 1 });
          },
        },
      },
    });
    const engine = await engineWith(db.connection, [stalling]);
    await engine.handle(inbound('lease', '/start'));
    await engine.handle(inbound('lease', '1'));
    const before = await conversationModel(db.connection).findOne({ chatId: 'lease' }).lean();
    await engine.handle(inbound('lease', 'x'));
    const after = await conversationModel(db.connection).findOne({ chatId: 'lease' }).lean();
    // The first attempt's save was refused (rev moved); the redo saved on top of the newer state.
    expect(after!.rev).toBe(before!.rev + 2);
  });

  it('keeps the lease of a slow step alive, so a second message waits instead of redoing the first', async () => {
    let sideEffects = 0;
    const slowFlow = defineFlow<{ n: number }>({
      id: 'counter',
      version: 1,
      start: 'ask',
      initial: () => ({ n: 0 }),
      steps: {
        ask: {
          prompt: () => say(m('menu.prompt')),
          accepts: ['text'],
          handle: async (input, ctx) => {
            if (input.type === 'text' && input.text === 'slow') {
              sideEffects++;
              await new Promise((resolve) => setTimeout(resolve, 900));
            }
            return next('ask', { n: ctx.data.n + 1 });
          },
        },
      },
    });
    // A 300 ms lease: without renewal, the second message would take over mid-step.
    const engine = await engineWith(db.connection, [slowFlow], { store: new ConversationStore(conversationModel(db.connection), new Claims(claimModel(db.connection)), 300) });
    await engine.handle(inbound('slow', '/start'));
    await engine.handle(inbound('slow', '1'));
    const first = engine.handle(inbound('slow', 'slow'));
    await new Promise((resolve) => setTimeout(resolve, 400));
    await Promise.all([first, engine.handle(inbound('slow', 'fast'))]);
    expect(sideEffects).toBe(1);
    expect(await conversationModel(db.connection).findOne({ chatId: 'slow' }).lean()).toMatchObject({ data: { n: 2 } });
    expect(await new Claims(claimModel(db.connection)).isLeased('conv:simulator:slow')).toBe(false);
  });

  it('answers a step by itself when it has a single option', async () => {
    const engine = await engineWith(db.connection, [auto, counterV1]);
    await engine.handle(inbound('auto', '/start'));
    const replies = await engine.handle(inbound('auto', '2'));
    expect(replies.map((r) => r.text).join('\n')).toContain('Đã hủy');
    expect(await conversationModel(db.connection).findOne({ chatId: 'auto' }).lean()).toMatchObject({ step: 'done', data: { picked: 'only' } });
  });

  it('runs a notification action button in any step', async () => {
    const seen: string[] = [];
    const engine = await engineWith(db.connection, [counterV1], {
      actions: {
        ping: async (arg) => {
          seen.push(arg);
          return toMenu(say(m('engine.cancelled')));
        },
      },
    });
    await engine.handle(inbound('act', '/start'));
    await engine.handle(inbound('act', '1'));
    const replies = await engine.handle({ id: 'btn1', channel: 'simulator', chatId: 'act', userId: 'act', kind: 'button', payload: actionPayload('ping', 'REF-1') });
    expect(seen).toEqual(['REF-1']);
    expect(replies[0]!.text).toBe('Đã hủy. Thông tin vừa nhập chưa được lưu.');
  });
});
