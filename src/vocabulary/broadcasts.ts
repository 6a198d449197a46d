/** Broadcasts: the life of a notice and of each delivery. */
export const BROADCAST_STATUSES = ['draft', 'pending_approval', 'approved', 'scheduled', 'sending', 'done', 'cancelled', 'rejected'] as const;
export type BroadcastStatus = (typeof BROADCAST_STATUSES)[number];
export const DELIVERY_STATES = ['queued', 'sending', 'sent', 'blocked', 'failed', 'skipped'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];
export const FINAL_DELIVERY_STATES = ['sent', 'blocked', 'failed', 'skipped'] as const;
export type FinalDeliveryState = (typeof FINAL_DELIVERY_STATES)[number];
