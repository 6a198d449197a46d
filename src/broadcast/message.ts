import type { BroadcastDoc } from '../db/models/broadcast.js';
import type { OutMessage } from '../messaging/types.js';

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
