import type { MappedTemplate } from '../messaging/channel.js';

/** Đồng per template message, by Zalo user id and by phone; null when neither the settings nor Zalo say. */
export interface RoutePrices {
  uid: number | null;
  phone: number | null;
}

/** The prices staff set for the template's tag, else what Zalo states for the template (by phone, and by user id when apart). */
export function pricesFor(template: Pick<MappedTemplate, 'tag' | 'price' | 'priceByUid'>, settings: Readonly<Record<string, { uid: number; phone: number }>>): RoutePrices {
  const set = template.tag ? settings[template.tag] : undefined;
  return { uid: set?.uid ?? template.priceByUid ?? template.price, phone: set?.phone ?? template.price };
}

/** What sending `uid` templates by user id and `phone` by phone costs; null when a needed price is unknown. */
export function templateCost(counts: { uid: number; phone: number }, prices: RoutePrices): number | null {
  if ((counts.uid > 0 && prices.uid === null) || (counts.phone > 0 && prices.phone === null)) return null;
  return counts.uid * (prices.uid ?? 0) + counts.phone * (prices.phone ?? 0);
}

/**
 * Days the template messages take within Zalo's daily quota: today's remainder
 * first, then a full quota each day. Null when the quota is unknown or zero.
 */
export function daysWithinQuota(templates: number, quota: { daily: number; remaining: number } | null): number | null {
  if (templates === 0) return 0;
  if (!quota) return null;
  if (templates <= quota.remaining) return 1;
  if (quota.daily <= 0) return null;
  return 1 + Math.ceil((templates - Math.max(0, quota.remaining)) / quota.daily);
}
