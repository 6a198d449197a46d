import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { testMongoUri } from '../support/db.js';
import { FakeZalo, postBotWebhook, postOaWebhook, signOaBody } from '../support/fake-zalo.js';

const SECRET = 'bot-secret-0123456789';
const COLLECTIONS = ['zalo_inbox', 'processed_inbound', 'chat_users', 'conversations'];

/** Bodies that look a little like events: right keys, wrong shapes, odd values. */
const eventish = fc.record(
  {
    event_name: fc.oneof(fc.constantFrom('user_send_text', 'user_send_image', 'user_submit_info', 'follow', 'unfollow', 'oa_send_text', 'message.text.received'), fc.string()),
    timestamp: fc.oneof(fc.constant(String(Date.now())), fc.string(), fc.integer(), fc.constant(null)),
    app_id: fc.oneof(fc.string(), fc.integer()),
    sender: fc.oneof(fc.record({ id: fc.oneof(fc.string(), fc.integer(), fc.constant(null)) }), fc.string(), fc.constant(null)),
    message: fc.oneof(fc.record({ text: fc.oneof(fc.string(), fc.integer()), msg_id: fc.oneof(fc.string(), fc.integer()) }, { requiredKeys: [] }), fc.array(fc.string()), fc.constant(null)),
    result: fc.anything(),
    info: fc.anything(),
  },
  { requiredKeys: [] },
);
const body = fc.oneof(
  fc.string().map((s) => ({ raw: s })),
  fc.json().map((s) => ({ raw: s })),
  eventish.map((e) => ({ raw: JSON.stringify(e) })),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => ({ raw: Buffer.from(bytes).toString('latin1') })),
);

describe('Zalo webhooks under fuzzed input', () => {
  let fake: FakeZalo;
  let app: TestApp;
  const counts = async () =>
    Object.fromEntries(await Promise.all(COLLECTIONS.map(async (name) => [name, await app.connection.collection(name).countDocuments()] as const)));

  beforeAll(async () => {
    fake = await FakeZalo.start();
    app = await startTestApp({ MONGODB_URI: testMongoUri(), SIMULATOR_ENABLED: 'false', ...fake.env({ oa: true, bot: true, botSecret: SECRET }) });
  });
  afterAll(async () => {
    await app.stop();
    await fake.stop();
  });

  it('1000 fuzzed bodies, signed and unsigned, to both webhooks: no 5xx, no write for invalid ones', async () => {
    const before = await counts();
    const statuses: number[] = [];
    await fc.assert(
      fc.asyncProperty(body, fc.constantFrom('oa-unsigned', 'oa-badsig', 'oa-signed-stale', 'bot-nosecret', 'bot-secret'), async ({ raw }, mode) => {
        let status: number;
        if (mode === 'oa-unsigned') status = (await postOaWebhook(`${app.url}/webhooks/zalo`, raw, fake, null)).status;
        else if (mode === 'oa-badsig') status = (await postOaWebhook(`${app.url}/webhooks/zalo`, raw, fake, `mac=${'f'.repeat(64)}`)).status;
        else if (mode === 'oa-signed-stale') {
          // Correctly signed, but with a timestamp that is not current: must still be refused.
          let sig: string | null = null;
          try {
            sig = signOaBody(raw, fake.appId, fake.oaSecretKey, '1');
          } catch {
            sig = null;
          }
          status = (await postOaWebhook(`${app.url}/webhooks/zalo`, raw, fake, sig)).status;
        } else if (mode === 'bot-nosecret') status = (await postBotWebhook(`${app.url}/webhooks/zalo-bot`, raw, null)).status;
        else status = (await postBotWebhook(`${app.url}/webhooks/zalo-bot`, raw, SECRET)).status;
        statuses.push(status);
        expect(status).toBeLessThan(500);
        if (mode !== 'bot-secret') expect(status).toBeGreaterThanOrEqual(400);
      }),
      { numRuns: 1000 },
    );
    expect(statuses).toHaveLength(1000);
    // None of these bodies is a valid, fresh, signed OA event or a well-formed Bot update with a message.
    expect(await counts()).toEqual(before);
    expect(fake.calls.filter((c) => c.api !== 'bot' || c.path !== '/bot/setWebhook')).toHaveLength(0);
  });
});
