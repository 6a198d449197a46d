/**
 * The notices the product sends outside a conversation, and the fields each
 * offers to a Zalo template's parameters (staff bind parameters to fields).
 * A broadcast is an anti-fraud warning or another notice staff write.
 */
export const NOTICE_FIELDS = {
  broadcast: ['title', 'text', 'hotline', 'date'],
  payment_credited: ['full_name', 'period', 'amount', 'account', 'paid_on'],
  payment_returned: ['full_name', 'period', 'amount', 'hotline'],
  request_approved: ['reference', 'effective_on', 'account'],
  request_rejected: ['reference', 'reason', 'hotline'],
  bank_change_alert: ['full_name', 'reference', 'account', 'hotline'],
  authorisation_expiring: ['full_name', 'expires_on'],
  fraud_case_status: ['case_number', 'status'],
} as const;

export type NoticeKind = keyof typeof NOTICE_FIELDS;
export const NOTICE_KINDS = Object.keys(NOTICE_FIELDS) as NoticeKind[];
export type NoticeField<K extends NoticeKind = NoticeKind> = (typeof NOTICE_FIELDS)[K][number];
