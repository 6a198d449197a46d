import { describe, expect, it } from 'vitest';
import { deliver, DeliveryFailedError, previewOf, type ChannelSender, type SendOutcome } from '../../src/messaging/channel.js';
import { CHANNEL_MODULES } from '../../src/channels/registry.js';
import { CHANNEL_NAMES } from '../../src/messaging/types.js';

/** A platform that answers from a script, one outcome per call, and records what it was sent. */
function scripted(outcomes: SendOutcome[]): ChannelSender<string> & { sent: string[]; tries: number } {
  return {
    name: 'simulator',
    limits: { text: 10, caption: 0, buttons: 0, buttonTitle: 0, ratePerSecond: 1, perChatPerSecond: 1, night: null },
    sent: [],
    tries: 0,
    render: (_chatId, message) => message.text.split('|'),
    async send(_chatId, call) {
      this.tries++;
      const outcome = outcomes.shift() ?? { kind: 'sent' };
      if (outcome.kind === 'sent') this.sent.push(call);
      return outcome;
    },
    preview: (call) => ({ text: call }),
  };
}

describe('deliver (replies and notices)', () => {
  it('sends every call of every message in order', async () => {
    const sender = scripted([]);
    expect(await deliver(sender, '1', [{ text: 'a|b' }, { text: 'c' }])).toEqual({ kind: 'delivered' });
    expect(sender.sent).toEqual(['a', 'b', 'c']);
  });

  it("waits out a throttle for the platform's own delay, then sends the same call again", async () => {
    const sender = scripted([{ kind: 'retry_after', ms: 50 }]);
    const started = Date.now();
    await deliver(sender, '1', [{ text: 'a|b' }]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(sender.sent).toEqual(['a', 'b']);
    expect(sender.tries).toBe(3);
  });

  it('gives up after three throttles of one call and says so', async () => {
    const sender = scripted(Array.from({ length: 4 }, () => ({ kind: 'retry_after', ms: 1 }) as const));
    await expect(deliver(sender, '1', [{ text: 'a' }])).rejects.toThrow(DeliveryFailedError);
    expect(sender.tries).toBe(4);
  });

  it('stops at a refusal for the person and reports it with the platform code, sending nothing after', async () => {
    const sender = scripted([{ kind: 'sent' }, { kind: 'outside_window', code: -230 }]);
    expect(await deliver(sender, '1', [{ text: 'a|b|c' }])).toEqual({ kind: 'refused', outcome: 'outside_window', code: -230 });
    expect(sender.sent).toEqual(['a']);
  });

  it('throws with the reason and code on a failure, so the update is redelivered', async () => {
    const sender = scripted([{ kind: 'failed', reason: 'http_502', retryable: true, code: 502 }]);
    const err = await deliver(sender, '1', [{ text: 'a' }]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryFailedError);
    expect(err).toMatchObject({ channel: 'simulator', reason: 'http_502', code: 502 });
  });

  it('previews a message as the bubbles its calls make', () => {
    expect(previewOf(scripted([]), { text: 'a|b' })).toEqual([{ text: 'a' }, { text: 'b' }]);
  });
});

describe('channel registry', () => {
  it('has one module per channel name, each with a renderer of that name', () => {
    expect(CHANNEL_MODULES.map((m) => m.name).sort()).toEqual([...CHANNEL_NAMES].sort());
    for (const m of CHANNEL_MODULES) expect(m.renderer.name).toBe(m.name);
  });

  it('keeps every rendered text within the limit its channel declares', () => {
    const text = `${'Lừa đảo qua điện thoại. '.repeat(400)}\n${'x'.repeat(5000)}`;
    for (const { renderer } of CHANNEL_MODULES) {
      const bubbles = previewOf(renderer, { text, link: { label: 'Xem', url: 'https://vssid.vn/' } });
      expect(bubbles.every((b) => b.text.length <= renderer.limits.text), renderer.name).toBe(true);
    }
  });
});
