/** Fraud reports: what a person reports, and where staff are with it. */
export const FRAUD_CATEGORIES = ['impersonation', 'fake_app', 'otp_request', 'paid_help', 'other'] as const;
export type FraudCategory = (typeof FRAUD_CATEGORIES)[number];
export const FRAUD_STATUSES = ['new', 'in_review', 'referred', 'closed'] as const;
export type FraudStatus = (typeof FRAUD_STATUSES)[number];
