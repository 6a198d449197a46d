import type { BroadcastDoc } from '../db/models/broadcast.js';
import type { OutMessage } from '../messaging/types.js';
import { formatDate, vietnamToday } from '../domain/validators/dates.js';

/**
 * The channel-neutral message one recipient gets: their language's text (English
 * falls back to Vietnamese), the photo, and the link button. No footer or
 * unsubscribe line is added. The console's preview renders the same message.
 */
export function messageFor(broadcast: Pick<BroadcastDoc, 'content' | 'imageUrl' | 'linkUrl'>, locale: 'vi' | 'en'): OutMessage {
  const text = (locale === 'en' ? broadcast.content.en : undefined) ?? broadcast.content.vi;
  const linkLabel = text.linkLabel ?? broadcast.content.vi.linkLabel;
  return {
    text: text.text,
    ...(broadcast.imageUrl ? { photo: broadcast.imageUrl } : {}),
    ...(broadcast.linkUrl && linkLabel ? { link: { label: linkLabel, url: broadcast.linkUrl } } : {}),
  };
}


/**
 * A broadcast as a notice with fields, for a platform that sends a template in
 * its place (Zalo beyond the 7-day window): the title, the text in the
 * recipient's language, the date it was sent for.
 */
export function noticeFor(broadcast: Pick<BroadcastDoc, 'title' | 'content' | 'sendAt' | 'createdAt'>, locale: 'vi' | 'en'): NonNullable<OutMessage['notice']> {
  const text = (locale === 'en' ? broadcast.content.en : undefined) ?? broadcast.content.vi;
  return { kind: 'broadcast', fields: { title: broadcast.title, text: text.text, date: formatDate(vietnamToday(broadcast.sendAt ?? broadcast.createdAt)) } };
}
