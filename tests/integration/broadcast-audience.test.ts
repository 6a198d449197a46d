import { afterEach, describe, expect, it } from 'vitest';
import { chatUserModel } from '../../src/db/models/chat-user.js';
import { beneficiaryModel } from '../../src/db/models/beneficiary.js';
import { beneficiaryLinkModel } from '../../src/db/models/beneficiary-link.js';
import { streamAudience } from '../../src/domain/audience.js';
import { normaliseAudience } from '../../src/broadcast/service.js';
import { connectTestMongoose, type TestMongoose } from '../support/db.js';

let db: TestMongoose | undefined;
afterEach(async () => {
  await db?.drop();
  db = undefined;
});

describe('audience stream', () => {
  it('resumes after the last recorded chat: the rest exactly once, nobody from before', async () => {
    db = await connectTestMongoose();
    const chatUsers = chatUserModel(db.connection);
    const now = new Date();
    const ids = Array.from({ length: 25 }, (_, i) => String(900_000 + i));
    await chatUsers.insertMany(
      ids.map((chatId) => ({ channel: 'telegram', chatId, platformUserId: chatId, locale: 'vi', subscribed: true, blocked: false, firstSeenAt: now, lastSeenAt: now, consents: [] })),
    );
    const models = { chatUsers, links: beneficiaryLinkModel(db.connection), beneficiaries: beneficiaryModel(db.connection) };
    const audience = normaliseAudience({});

    const first = (await streamAudience(models, audience, 10).next()).value as { recipients: { chatId: string }[]; lastId: string };
    expect(first.recipients).toHaveLength(10);
    const rest: string[] = [];
    // As a worker taking over the queueing does: from the cursor the first one recorded.
    for await (const page of streamAudience(models, audience, 10, first.lastId)) rest.push(...page.recipients.map((r) => r.chatId));
    expect(rest).toHaveLength(15);
    expect(new Set([...first.recipients.map((r) => r.chatId), ...rest])).toEqual(new Set(ids));
  });
});
