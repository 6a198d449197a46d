import type { OutMessage } from '../../messaging/types.js';
import type { PreviewBubble } from '../../messaging/channel.js';
import { splitText } from '../../messaging/split-text.js';

/**
 * Limits of OA consultation messages (POST /v3.0/oa/message/cs): text ≤ 2000
 * characters; a button's title ≤ 100 and its `oa.query.*` payload ≤ 1000 characters;
 * request_user_info: one element, title ≤ 100, subtitle ≤ 500 (Zalo docs: Official
 * Account → Gửi tin nhắn tư vấn, as restated by partners, e.g.
 * https://docs.etelecom.vn/tich-hop-api/zalo-cloud/zalo-cloud-api/gui-tin-tu-van-theo-mau-yeu-cau-thong-tin-nguoi-dung).
 * The maximum button count was not confirmed in the docs we could reach: 5 is a
 * deliberately conservative cap; beyond it the options become numbered lines the user types.
 */
export const OA_LIMITS = { text: 2000, buttons: 5, buttonTitle: 100, buttonPayload: 1000, infoTitle: 100, infoSubtitle: 500 } as const;

export interface OaQueryButton {
  title: string;
  /** oa.query.hide: the tap comes back as a user_send_text with the payload as text, not shown in the chat. */
  type: 'oa.query.hide';
  payload: string;
}
export interface OaUrlButton {
  title: string;
  type: 'oa.open.url';
  payload: { url: string };
}
export type OaButton = OaQueryButton | OaUrlButton;

export type OaMessage =
  | { text: string }
  | { text: string; attachment: { type: 'template'; payload: { buttons: OaButton[] } } }
  | {
      attachment: {
        type: 'template';
        payload: { template_type: 'media'; elements: [{ media_type: 'image'; url: string } | { media_type: 'image'; attachment_id: string }] };
      };
    }
  | {
      attachment: {
        type: 'template';
        payload: { template_type: 'request_user_info'; elements: [{ title: string; subtitle: string; image_url?: string }] };
      };
    };

/** One step of sending: a ready message, or an image that may need uploading first. */
/**
 * One step of sending: a ready message, or an image that may need uploading
 * first. The first step of a notice carries it, so beyond the 7-day window the
 * channel can send the notice's template in place of the whole message.
 */
export type OaOutgoing = ({ kind: 'message'; message: OaMessage } | { kind: 'image'; source: string }) & { notice?: OutMessage['notice'] };

const NUMBERED = /^\d{1,2}\.\s/;

const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/**
 * Renders one channel-neutral message as OA API messages. Options become
 * `oa.query.hide` buttons; when there are too many (or a label is too long), the
 * numbered options are written into the text ("1. …" lines, which the engine maps
 * from a typed number) and only the rest (back to menu, link) stay buttons.
 */
export function renderOa(out: OutMessage): OaOutgoing[] {
  const steps: OaOutgoing[] = [];
  if (out.photo) steps.push({ kind: 'image', source: out.photo });

  const queryButtons: OaButton[] = (out.buttons ?? []).map((b) => ({ title: b.label, type: 'oa.query.hide', payload: b.payload }));
  const linkButton: OaButton[] = out.link ? [{ title: out.link.label, type: 'oa.open.url', payload: { url: out.link.url } }] : [];
  let buttons = [...linkButton, ...queryButtons];
  let text = out.text.normalize('NFC');

  const fits = (list: OaButton[]) =>
    list.length <= OA_LIMITS.buttons &&
    list.every((b) => b.title.length <= OA_LIMITS.buttonTitle && (typeof b.payload !== 'string' || b.payload.length <= OA_LIMITS.buttonPayload));
  if (!fits(buttons)) {
    const numbered = buttons.filter((b) => b.type === 'oa.query.hide' && NUMBERED.test(b.title));
    const rest = buttons.filter((b) => !numbered.includes(b));
    const lines = numbered.map((b) => b.title);
    buttons = fits(rest) ? rest : [];
    if (buttons.length === 0) lines.push(...rest.map((b) => (b.type === 'oa.open.url' ? `${b.title}: ${b.payload.url}` : b.title)));
    text = [text, lines.join('\n')].filter((t) => t !== '').join('\n\n');
  }

  const chunks = text === '' ? [] : splitText(text, OA_LIMITS.text);
  chunks.forEach((chunk, i) => {
    const last = i === chunks.length - 1;
    if (last && buttons.length > 0) {
      steps.push({ kind: 'message', message: { text: chunk, attachment: { type: 'template', payload: { buttons } } } });
    } else {
      steps.push({ kind: 'message', message: { text: chunk } });
    }
  });
  if (chunks.length === 0 && buttons.length > 0) {
    // A button list needs some text above it.
    steps.push({ kind: 'message', message: { text: '…', attachment: { type: 'template', payload: { buttons } } } });
  }

  if (out.requestContact) {
    const question = out.text.split('\n\n').at(-1) ?? '';
    steps.push({
      kind: 'message',
      message: {
        attachment: {
          type: 'template',
          payload: {
            template_type: 'request_user_info',
            elements: [
              {
                title: clip(out.requestContact.label, OA_LIMITS.infoTitle),
                subtitle: clip(question, OA_LIMITS.infoSubtitle),
              },
            ],
          },
        },
      },
    });
  }
  return steps;
}

/** How one OA step shows in the chat: the image, or the text with its link button. */
export function previewOa(step: OaOutgoing): PreviewBubble | null {
  if (step.kind === 'image') return { photo: step.source, text: '' };
  const message = step.message;
  if (!('text' in message)) return null;
  const buttons = 'attachment' in message ? message.attachment.payload.buttons : [];
  const link = buttons.find((b): b is OaUrlButton => b.type === 'oa.open.url');
  return { text: message.text, ...(link ? { button: { label: link.title, url: link.payload.url } } : {}) };
}
