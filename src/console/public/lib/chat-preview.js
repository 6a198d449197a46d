/**
 * Phone-sized chats that draw a broadcast's bubbles as Telegram and Zalo show
 * them. What the bubbles are (split texts, the photo apart, a long button
 * label moved into the text) is the server's answer, from each channel's own
 * renderer (POST /admin/api/broadcasts/preview): this module only draws.
 * Images are not fetched: the console's Content-Security-Policy allows only its
 * own images, and a preview must not call an outside server.
 *
 * @typedef {import('./api-types.js').PreviewBubble} Bubble
 * @typedef {Pick<import('./types.js').PageContext, 't'>} ChatContext
 */
import { h } from './dom.js';

/** @param {string} url */
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

/** @param {ChatContext['t']} t @param {string} url */
function photoBox(t, url) {
  return h('div', { class: 'cp-photo', 'data-testid': 'preview-photo' },
    h('span', { 'aria-hidden': 'true' }, '🖼'),
    h('span', null, t('consoleBroadcasts.preview.photo', { host: hostOf(url) })),
  );
}

/**
 * The chat area: one node per bubble, or the placeholder while there is nothing to show.
 * @param {Bubble[]} bubbles @param {string} placeholder @param {(b: Bubble) => Node} drawBubble
 */
function chatBody(bubbles, placeholder, drawBubble) {
  return h('div', { class: 'cp-body' }, bubbles.length === 0 ? h('p', { class: 'cp-placeholder' }, placeholder) : bubbles.map(drawBubble));
}

/** What a bubble carries on either platform: the photo, then the text. @param {ChatContext['t']} t @param {Bubble} b */
const bubbleContent = (t, b) => [b.photo ? photoBox(t, b.photo) : null, b.text ? h('p', { class: 'cp-text' }, b.text) : null];

/**
 * The link button; its address is read out to screen readers, as the chat app shows it on a long press.
 * @param {string} cls @param {{ label: string, url: string }} button @param {Node | null} [icon]
 */
const urlButton = (cls, button, icon = null) =>
  h('span', { class: cls, title: button.url, 'data-testid': 'preview-button' }, button.label, icon, h('span', { class: 'sr-only' }, ` (${button.url})`));

/** The sender's picture: the first letter of its name. @param {string} cls @param {string} name @param {string} fallback */
const avatar = (cls, name, fallback) => h('span', { class: cls, 'aria-hidden': 'true' }, (name.trim()[0] ?? fallback).toUpperCase());

/**
 * A phone-sized Telegram chat with the bubbles.
 * @param {ChatContext} ctx
 * @param {{ botName: string, bubbles: Bubble[], placeholder: string }} opts
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
 * @param {ChatContext} ctx
 * @param {{ oaName: string, bubbles: Bubble[], placeholder: string, testId?: string, subtitle: string }} opts
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
