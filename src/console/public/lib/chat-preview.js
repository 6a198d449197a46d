/**
 * How a broadcast will look in a recipient's chat, drawn from the same rules
 * the server sends with, so the preview does not promise what the platform will
 * not show:
 * - the message itself: src/broadcast/worker.ts `messageFor` (English falls back
 *   to Vietnamese; no footer or unsubscribe line is added),
 * - Telegram: src/broadcast/platform-sender.ts `telegramPlatformSender.render`
 *   (photo with caption when the text fits 1024 characters) and
 *   src/channels/telegram/to-api-calls.ts (texts over 4096 split at line breaks,
 *   one inline URL button under the last part, link previews turned off),
 * - Zalo OA: src/channels/zalo/oa-render.ts (image as its own message, texts
 *   over 2000 split, the link as an `oa.open.url` button; a title over 100
 *   characters cannot be a button and is written into the text),
 * - Zalo Bot Platform: src/channels/zalo/bot-render.ts (no buttons: the link is
 *   a "label: address" line).
 * Images are not fetched: the console's Content-Security-Policy allows only its
 * own images, and a preview must not call an outside server.
 */
import { h } from './dom.js';

/** Platform limits; the server's GET /broadcasts/settings repeats them and wins when loaded. */
export const DEFAULT_LIMITS = Object.freeze({ telegramText: 4096, telegramCaption: 1024, zaloText: 2000, zaloButtonTitle: 100, zaloBotText: 2000 });

/** Port of splitText (to-api-calls.ts): at a line break, else a space, else hard, never below half the limit. */
export function splitText(text, max) {
  if (text.length <= max) return [text];
  const chunks = [];
  let rest = text;
  while (rest.length > max) {
    let cut = rest.lastIndexOf('\n', max);
    if (cut < max / 2) cut = rest.lastIndexOf(' ', max);
    if (cut < max / 2) cut = max;
    chunks.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest) chunks.push(rest);
  return chunks;
}

/**
 * The channel-neutral message one recipient gets (port of messageFor).
 * @param {{ content: { vi: { text: string, linkLabel?: string }, en?: { text: string, linkLabel?: string } }, linkUrl?: string|null, imageUrl?: string|null }} b
 * @param {'vi'|'en'} locale
 * @returns {{ text: string, photo?: string, link?: { label: string, url: string } }}
 */
export function messageFor(b, locale) {
  const text = (locale === 'en' ? b.content.en : undefined) ?? b.content.vi;
  const linkLabel = text.linkLabel ?? b.content.vi.linkLabel;
  return {
    text: text.text,
    ...(b.imageUrl ? { photo: b.imageUrl } : {}),
    ...(b.linkUrl && linkLabel ? { link: { label: linkLabel, url: b.linkUrl } } : {}),
  };
}

/**
 * Telegram bubbles: `{ photo?, text, button? }` per Bot API call.
 * @returns {{ photo?: string, text: string, button?: { label: string, url: string } }[]}
 */
export function telegramBubbles(message, limits = DEFAULT_LIMITS) {
  if (message.photo && message.text.length <= limits.telegramCaption) {
    return [{ photo: message.photo, text: message.text, ...(message.link ? { button: message.link } : {}) }];
  }
  const bubbles = message.photo ? [{ photo: message.photo, text: '' }] : [];
  const chunks = splitText(message.text, limits.telegramText);
  chunks.forEach((text, i) => bubbles.push({ text, ...(message.link && i === chunks.length - 1 ? { button: message.link } : {}) }));
  return bubbles;
}

/**
 * Zalo OA messages: `{ photo?, text, button? }` per API call.
 * @returns {{ photo?: string, text: string, button?: { label: string, url: string } }[]}
 */
export function zaloBubbles(message, limits = DEFAULT_LIMITS) {
  const bubbles = message.photo ? [{ photo: message.photo, text: '' }] : [];
  let text = message.text.normalize('NFC');
  let button = message.link;
  if (button && button.label.length > limits.zaloButtonTitle) {
    // Too long for a button title: renderOa writes it into the text instead.
    text = [text, `${button.label}: ${button.url}`].filter((t) => t !== '').join('\n\n');
    button = undefined;
  }
  const chunks = text === '' ? [] : splitText(text, limits.zaloText);
  chunks.forEach((chunk, i) => bubbles.push({ text: chunk, ...(button && i === chunks.length - 1 ? { button } : {}) }));
  if (chunks.length === 0 && button) bubbles.push({ text: '…', button });
  return bubbles;
}

/** Zalo Bot Platform messages: text only, the link written as a line. */
export function zaloBotBubbles(message, limits = DEFAULT_LIMITS) {
  const bubbles = message.photo ? [{ photo: message.photo, text: '' }] : [];
  const lines = message.link ? [`${message.link.label}: ${message.link.url}`] : [];
  const text = [message.text.normalize('NFC'), lines.join('\n')].filter((t) => t !== '').join('\n\n');
  for (const chunk of text === '' ? [] : splitText(text, limits.zaloBotText)) bubbles.push({ text: chunk });
  return bubbles;
}

const hostOf = (url) => {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
};

/** Time shown in the bubbles: now, in Vietnam time, as the recipient's phone would. */
function clock() {
  return new Intl.DateTimeFormat('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date());
}

function photoBox(t, url) {
  return h('div', { class: 'cp-photo', 'data-testid': 'preview-photo' },
    h('span', { 'aria-hidden': 'true' }, '🖼'),
    h('span', null, t('consoleBroadcasts.preview.photo', { host: hostOf(url) })),
  );
}

/** The chat area: one node per bubble, or the placeholder while there is nothing to show. */
function chatBody(bubbles, placeholder, drawBubble) {
  return h('div', { class: 'cp-body' }, bubbles.length === 0 ? h('p', { class: 'cp-placeholder' }, placeholder) : bubbles.map(drawBubble));
}

/** What a bubble carries on either platform: the photo, then the text. */
const bubbleContent = (t, b) => [b.photo ? photoBox(t, b.photo) : null, b.text ? h('p', { class: 'cp-text' }, b.text) : null];

/** The link button; its address is read out to screen readers, as the chat app shows it on a long press. */
const urlButton = (cls, button, icon = null) =>
  h('span', { class: cls, title: button.url, 'data-testid': 'preview-button' }, button.label, icon, h('span', { class: 'sr-only' }, ` (${button.url})`));

/** The sender's picture: the first letter of its name. */
const avatar = (cls, name, fallback) => h('span', { class: cls, 'aria-hidden': 'true' }, (name.trim()[0] ?? fallback).toUpperCase());

/**
 * A phone-sized Telegram chat with the bubbles.
 * @param {{ t: Function }} ctx
 * @param {{ botName: string, bubbles: ReturnType<typeof telegramBubbles>, placeholder: string }} opts
 */
export function telegramChat(ctx, { botName, bubbles, placeholder }) {
  const time = clock();
  const body = chatBody(bubbles, placeholder, (b) =>
    h('div', { class: 'cp-msg' },
      h('div', { class: 'cp-bubble', 'data-testid': 'preview-bubble' },
        bubbleContent(ctx.t, b),
        h('span', { class: 'cp-time', 'aria-hidden': 'true' }, time),
      ),
      b.button ? h('div', { class: 'cp-inline-kb' }, urlButton('cp-url-button', b.button, h('span', { class: 'cp-url-icon', 'aria-hidden': 'true' }, '↗'))) : null,
    ),
  );
  return h('div', { class: 'cp-phone cp-telegram', 'data-testid': 'preview-telegram' },
    h('div', { class: 'cp-head' },
      avatar('cp-avatar', botName, 'B'),
      h('span', { class: 'cp-who' }, h('strong', null, botName), h('small', null, ctx.t('consoleBroadcasts.preview.telegramBot'))),
    ),
    body,
  );
}

/**
 * A phone-sized Zalo OA chat: messages as cards, the link as a button row inside the card.
 * @param {{ t: Function }} ctx
 * @param {{ oaName: string, bubbles: ReturnType<typeof zaloBubbles>, placeholder: string, testId?: string, subtitle: string }} opts
 */
export function zaloChat(ctx, { oaName, bubbles, placeholder, testId = 'preview-zalo', subtitle }) {
  const time = clock();
  const body = chatBody(bubbles, placeholder, (b) =>
    h('div', { class: 'cp-msg' },
      avatar('cp-avatar cp-avatar-small', oaName, 'Z'),
      h('div', { class: 'cp-card', 'data-testid': 'preview-bubble' },
        bubbleContent(ctx.t, b),
        b.button ? urlButton('cp-card-button', b.button) : null,
        h('span', { class: 'cp-time', 'aria-hidden': 'true' }, time),
      ),
    ),
  );
  return h('div', { class: 'cp-phone cp-zalo', 'data-testid': testId },
    h('div', { class: 'cp-head' },
      h('span', { class: 'cp-back', 'aria-hidden': 'true' }, '‹'),
      h('span', { class: 'cp-who' },
        h('strong', null, oaName, h('span', { class: 'cp-verified', 'aria-hidden': 'true' }, '✓')),
        h('small', null, subtitle),
      ),
    ),
    body,
  );
}
